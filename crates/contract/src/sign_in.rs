//! How the SPA signs in (`GET /api/config`, public).

use serde::{Deserialize, Serialize};

/// `GET /api/config`: how this server's users sign in, read by the SPA before it asks anyone to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "auth", rename_all = "lowercase")]
pub enum SignInConfig {
    /// No identity provider is configured: the demo users' fixed tokens (which sign in only
    /// where demo users are on).
    Demo,
    /// OpenID Connect: the SPA signs in at `issuer` by Authorization Code with PKCE and sends the
    /// access token as `Authorization: Bearer`. Demo tokens may still sign in where demo users
    /// are on.
    #[serde(rename_all = "camelCase")]
    Oidc {
        /// The issuer (discovery at `{issuer}/.well-known/openid-configuration`).
        issuer: String,
        /// The SPA's public client ID; absent when the server was started without one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
        /// The scopes to ask for, space-separated (e.g. `openid profile api://…/access_as_user`).
        scopes: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_form_is_tagged_by_auth() {
        assert_eq!(serde_json::to_value(SignInConfig::Demo).unwrap(), serde_json::json!({ "auth": "demo" }));
        let oidc = SignInConfig::Oidc { issuer: "https://id.example".into(), client_id: Some("spa".into()), scopes: "openid profile".into() };
        let wire = serde_json::to_value(&oidc).unwrap();
        assert_eq!(wire, serde_json::json!({ "auth": "oidc", "issuer": "https://id.example", "clientId": "spa", "scopes": "openid profile" }));
        assert_eq!(serde_json::from_value::<SignInConfig>(wire).unwrap(), oidc);
    }
}
