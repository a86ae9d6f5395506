//! The desk's connection for unattended reads, as Partner Center's secure application model
//! keeps it: a Global admin, signed in, connects the desk once; the refresh token Entra gives
//! for the desk's API app with `offline_access` is stored sealed with AES-256-GCM under the key
//! of `DESK_SECRET_KEY_FILE` ([`SecretKeys`]), never in clear, never logged, never sent to the
//! browser. Background reads and the digest use it across restarts; each rotated refresh token
//! Entra returns is sealed again in its place. A second key file
//! (`DESK_SECRET_KEY_FILE_PREVIOUS`) opens what the previous key sealed, and the next use seals
//! it under the new one: that is how the key is rotated.
//!
//! The stored grant only reads (`azure_client::Reader::Stored`): a money move or a change takes
//! the signed-in user who asked, and the client's types allow nothing else.

use std::path::Path;
use std::sync::Arc;

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use azure_client::{ExposeSecret, SecretString, StoredGrant};
use base64::Engine;
use chrono::{DateTime, Utc};
use contract::source::{AzureConnection, ConnectionState};
use sha2::Digest;

use crate::reads_store::{ReadStore, StoredConnection};
use crate::server_store::ServerStore;

/// One key: its ID (the first 8 bytes of its SHA-256, in hex: names the key, reveals nothing of
/// it) and the cipher.
struct Key {
    id: String,
    cipher: Aes256Gcm,
}

/// The keys the refresh token is sealed with: the current one seals and opens; the previous
/// one, while rotating, only opens.
pub struct SecretKeys {
    current: Key,
    previous: Option<Key>,
}

impl std::fmt::Debug for SecretKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretKeys").field("current", &self.current.id).field("previous", &self.previous.as_ref().map(|k| &k.id)).finish()
    }
}

/// What a key file holds: 32 random bytes, as base64 (`openssl rand -base64 32`) or as 64 hex
/// digits.
fn key_of(path: &Path) -> Result<Key, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = text.trim();
    let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        (0..32).map(|i| u8::from_str_radix(&text[i * 2..i * 2 + 2], 16)).collect::<Result<Vec<u8>, _>>().map_err(|e| e.to_string())?
    } else {
        base64::engine::general_purpose::STANDARD.decode(text).map_err(|_| format!("{}: not base64 nor hex", path.display()))?
    };
    if bytes.len() != 32 {
        return Err(format!("{}: the key must be 32 bytes (openssl rand -base64 32), not {}", path.display(), bytes.len()));
    }
    let id: String = sha2::Sha256::digest(&bytes).iter().take(8).map(|b| format!("{b:02x}")).collect();
    let cipher = Aes256Gcm::new_from_slice(&bytes).map_err(|e| e.to_string())?;
    Ok(Key { id, cipher })
}

impl SecretKeys {
    /// The keys in `current` and, while rotating, `previous`.
    pub fn load(current: &Path, previous: Option<&Path>) -> Result<Self, String> {
        Ok(Self { current: key_of(current)?, previous: previous.map(key_of).transpose()? })
    }

    /// The current key's ID.
    pub fn current_id(&self) -> &str {
        &self.current.id
    }

    /// `secret` sealed under the current key, bound to `context` (the connection it belongs to):
    /// the key's ID, and base64 of a fresh 96-bit nonce followed by the ciphertext and its tag.
    pub fn seal(&self, secret: &SecretString, context: &str) -> Result<(String, String), String> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .current
            .cipher
            .encrypt(&nonce, Payload { msg: secret.expose_secret().as_bytes(), aad: context.as_bytes() })
            .map_err(|_| "the refresh token could not be sealed".to_owned())?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok((self.current.id.clone(), base64::engine::general_purpose::STANDARD.encode(out)))
    }

    /// What [`seal`](Self::seal) sealed under the key `key_id` names, if this server holds it.
    pub fn open(&self, key_id: &str, sealed: &str, context: &str) -> Result<SecretString, String> {
        let key = [Some(&self.current), self.previous.as_ref()].into_iter().flatten().find(|k| k.id == key_id).ok_or_else(|| {
            format!("the refresh token was sealed under key {key_id}, which neither DESK_SECRET_KEY_FILE nor DESK_SECRET_KEY_FILE_PREVIOUS holds")
        })?;
        let bytes = base64::engine::general_purpose::STANDARD.decode(sealed).map_err(|_| "the sealed refresh token is not base64".to_owned())?;
        if bytes.len() < 12 + 16 {
            return Err("the sealed refresh token is too short".into());
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = key
            .cipher
            .decrypt(Nonce::from_slice(nonce), Payload { msg: ciphertext, aad: context.as_bytes() })
            .map_err(|_| "the sealed refresh token does not open under its key (altered, or another connection's)".to_owned())?;
        String::from_utf8(plain).map(SecretString::from).map_err(|_| "the refresh token is not text".to_owned())
    }
}

/// What a sealed token is bound to: the connection's user, tenant and time (a row copied onto
/// another connection does not open).
fn context(c: &StoredConnection) -> String {
    format!("reservation-desk azure-connection {} {} {}", c.user_id, c.tenant_id, c.connected_at.timestamp())
}

/// The connection as the console shows it.
pub fn view(stored: Option<&StoredConnection>, can_connect: bool) -> AzureConnection {
    match stored {
        None => AzureConnection { state: ConnectionState::NotConnected, connected_by: None, connected_at: None, error: None, can_connect },
        Some(c) => AzureConnection {
            state: if c.lost.is_some() { ConnectionState::Lost } else { ConnectionState::Connected },
            connected_by: Some(c.user_name.clone()),
            connected_at: Some(desk::source::instant_text(c.connected_at)),
            error: c.lost.clone(),
            can_connect,
        },
    }
}

/// The stored connection opened: the grant to read with, and its row.
#[derive(Clone, Debug)]
pub struct Connected {
    pub grant: Arc<StoredGrant>,
    pub stored: StoredConnection,
}

/// Seals `refresh` for `stored` (its `key_id` and `sealed` set) and stores it.
pub async fn save(store: &ServerStore, keys: &SecretKeys, mut stored: StoredConnection, refresh: &SecretString) -> Result<Connected, String> {
    let (key_id, sealed) = keys.seal(refresh, &context(&stored))?;
    stored.key_id = key_id;
    stored.sealed = sealed;
    store.save_connection(&stored).await.map_err(|e| e.to_string())?;
    let grant = Arc::new(StoredGrant::new(stored.user_id.clone(), SecretString::from(refresh.expose_secret().to_owned())));
    Ok(Connected { grant, stored })
}

/// The stored connection, opened, when there is one that works: the one held in memory while
/// it is the same connection (it holds the latest rotated token), else opened from the store
/// (and sealed again under the current key if the previous one sealed it).
pub async fn connected(store: &ServerStore, keys: &SecretKeys, held: Option<Connected>) -> Result<Option<Connected>, String> {
    let Some(row) = store.connection().await.map_err(|e| e.to_string())? else { return Ok(None) };
    if row.lost.is_some() {
        return Ok(None);
    }
    if let Some(held) = held.filter(|h| h.stored.connected_at == row.connected_at && h.stored.user_id == row.user_id) {
        return Ok(Some(held));
    }
    let refresh = keys.open(&row.key_id, &row.sealed, &context(&row))?;
    if row.key_id != keys.current_id() {
        let (key_id, sealed) = keys.seal(&refresh, &context(&row))?;
        store.reseal_connection(row.connected_at, &key_id, &sealed).await.map_err(|e| e.to_string())?;
        tracing::info!("the stored connection was sealed again under the current key (DESK_SECRET_KEY_FILE)");
    }
    let grant = Arc::new(StoredGrant::new(row.user_id.clone(), refresh));
    Ok(Some(Connected { grant, stored: row }))
}

/// Seals the refresh token Entra rotated during a read in place of the stored one.
pub async fn keep_rotated(store: &ServerStore, keys: &SecretKeys, connected: &Connected) {
    if let Some(rotated) = connected.grant.rotated() {
        let sealed = keys.seal(&rotated, &context(&connected.stored));
        match sealed {
            Ok((key_id, sealed)) => {
                if let Err(e) = store.reseal_connection(connected.stored.connected_at, &key_id, &sealed).await {
                    tracing::error!(error = %e, "keeping the rotated refresh token failed");
                }
            }
            Err(e) => tracing::error!("sealing the rotated refresh token failed: {e}"),
        }
    }
}

/// Marks the connection lost with Entra's answer (its alert is sent once by the alerts task).
pub async fn lost(store: &ServerStore, connected: &Connected, error: &contract::source::SourceError, at: DateTime<Utc>) {
    match store.connection_lost(connected.stored.connected_at, error, at).await {
        Ok(true) => tracing::warn!(code = %error.code, "Entra refused the stored connection: unattended reads stop until a Global admin connects again: {}", error.message),
        Ok(false) => {}
        Err(e) => tracing::error!(error = %e, "recording the lost connection failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_file(dir: &Path, name: &str, byte: u8) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, base64::engine::general_purpose::STANDARD.encode([byte; 32])).unwrap();
        path
    }

    #[test]
    fn a_token_sealed_under_the_previous_key_opens_while_rotating_and_never_shows() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (key_file(dir.path(), "old", 1), key_file(dir.path(), "new", 2));
        let before = SecretKeys::load(&old, None).unwrap();
        let secret = SecretString::from("0.AAAA-refresh-token-secret".to_owned());
        let (old_id, sealed) = before.seal(&secret, "ctx").unwrap();
        assert!(!sealed.contains("refresh-token-secret"));
        let (_, again) = before.seal(&secret, "ctx").unwrap();
        assert_ne!(sealed, again, "a fresh nonce each time");
        assert!(before.open(&old_id, &sealed, "other").is_err(), "bound to its connection");
        let rotating = SecretKeys::load(&new, Some(&old)).unwrap();
        assert_eq!(rotating.open(&old_id, &sealed, "ctx").unwrap().expose_secret(), secret.expose_secret());
        let (new_id, resealed) = rotating.seal(&secret, "ctx").unwrap();
        assert_ne!(new_id, old_id);
        let after = SecretKeys::load(&new, None).unwrap();
        assert!(after.open(&old_id, &sealed, "ctx").unwrap_err().contains("neither"));
        assert_eq!(after.open(&new_id, &resealed, "ctx").unwrap().expose_secret(), secret.expose_secret());
        let mut tampered = base64::engine::general_purpose::STANDARD.decode(&resealed).unwrap();
        tampered[20] ^= 1;
        assert!(after.open(&new_id, &base64::engine::general_purpose::STANDARD.encode(tampered), "ctx").is_err());
        assert!(!format!("{after:?}").contains("AAAA"));
    }

    #[test]
    fn a_key_file_is_32_bytes_in_base64_or_hex() {
        let dir = tempfile::tempdir().unwrap();
        let hex = dir.path().join("hex");
        std::fs::write(&hex, format!("{}\n", "ab".repeat(32))).unwrap();
        assert!(SecretKeys::load(&hex, None).is_ok());
        let short = dir.path().join("short");
        std::fs::write(&short, base64::engine::general_purpose::STANDARD.encode([0u8; 16])).unwrap();
        assert!(SecretKeys::load(&short, None).unwrap_err().contains("32 bytes"));
        assert!(SecretKeys::load(&dir.path().join("missing"), None).is_err());
    }
}
