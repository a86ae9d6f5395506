//! A JSON body extractor whose rejections are problem+json, naming what is wrong.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Like `axum::Json`, but a malformed body is a 400 problem with the parser's explanation.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(bad_body(rejection)),
        }
    }
}

fn bad_body(rejection: JsonRejection) -> ApiError {
    let text = rejection.body_text();
    let detail = match &rejection {
        JsonRejection::MissingJsonContentType(_) => "Send the body as JSON (Content-Type: application/json).".into(),
        _ => format!("The request body is not valid for this endpoint: {text}"),
    };
    ApiError::BadRequest { code: contract::ProblemCode::MalformedRequest, detail, field: field_of(&text) }
}

/// The field serde blamed: axum's text reads "…target type: quantity: invalid value…".
fn field_of(text: &str) -> Option<String> {
    let rest = text.split_once("target type: ")?.1;
    let (path, _) = rest.split_once(": ")?;
    (!path.contains(' ') && path != ".").then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn the_blamed_field_is_read_from_the_rejection() {
        let text = "Failed to deserialize the JSON body into the target type: quantity: invalid value: integer `-1`";
        assert_eq!(field_of(text).as_deref(), Some("quantity"));
        assert_eq!(field_of("Failed to parse the request body as JSON: EOF").as_deref(), None);
        let unknown = "Failed to deserialize the JSON body into the target type: unknown field `extra`, expected one of";
        assert_eq!(field_of(unknown), None);
    }
}
