//! The audit log as a hash chain: each entry's hash covers its text and the hash before it, so
//! an entry edited, removed or put in another place in the store breaks every link after it.
//!
//! The stores call [`link`] when they record an entry (inside the entry's transaction, after the
//! previous one) and keep the hash beside the entry's exact text; [`verify`] walks the chain.
//! What a chain cannot show by itself: entries cut off at its end. Its `head` (the last hash)
//! and length are reported so an operator can note them elsewhere and compare later.

use contract::AuditVerification;
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry as a store keeps it for the chain: the exact text that was hashed, and the hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainLink {
    /// The entry's JSON text, as stored.
    pub body: String,
    /// `link(previous hash, body)`, as stored.
    pub hash: String,
}

/// The hash of an entry whose text is `body`, after the entry whose hash is `previous`
/// ([`GENESIS`] for the first): SHA-256 of `previous`, a line feed and `body`, in lowercase hex.
pub fn link(previous: &str, body: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(previous.as_bytes());
    hasher.update(b"\n");
    hasher.update(body.as_bytes());
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    hex
}

/// Whether `chain` (oldest first) is intact: each hash equals [`link`] of the hash before it and
/// its own text. Names the first entry (1 = oldest) that does not.
pub fn verify(chain: &[ChainLink]) -> AuditVerification {
    let mut previous = GENESIS;
    for (index, entry) in chain.iter().enumerate() {
        if link(previous, &entry.body) != entry.hash {
            return AuditVerification {
                intact: false,
                entries: chain.len() as u64,
                head: chain.last().map_or(GENESIS, |e| e.hash.as_str()).to_owned(),
                first_broken: Some(index as u64 + 1),
            };
        }
        previous = &entry.hash;
    }
    AuditVerification { intact: true, entries: chain.len() as u64, head: previous.to_owned(), first_broken: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(bodies: &[&str]) -> Vec<ChainLink> {
        let mut previous = GENESIS.to_owned();
        bodies
            .iter()
            .map(|body| {
                previous = link(&previous, body);
                ChainLink { body: (*body).to_owned(), hash: previous.clone() }
            })
            .collect()
    }

    #[test]
    fn the_link_is_sha256_of_the_previous_hash_a_line_feed_and_the_text() {
        // printf '%s\n%s' 0000…0000 '{"a":1}' | sha256sum
        assert_eq!(link(GENESIS, r#"{"a":1}"#), "f21735afd2cd6af4fc5804b0045cebfd545aef8396d29d030c39cb8880b45b7f");
        assert_eq!(link(GENESIS, "").len(), 64);
        assert_ne!(link(GENESIS, "a"), link(GENESIS, "b"));
        assert_ne!(link(GENESIS, "a"), link(&link(GENESIS, "a"), "a"), "the same text after another entry hashes differently");
    }

    #[test]
    fn an_intact_chain_reports_its_length_and_head() {
        let links = chain(&["one", "two", "three"]);
        let report = verify(&links);
        assert!(report.intact);
        assert_eq!((report.entries, report.first_broken), (3, None));
        assert_eq!(report.head, links[2].hash);
        assert_eq!(verify(&[]).head, GENESIS);
    }

    #[test]
    fn an_edited_removed_or_moved_entry_breaks_the_chain_there() {
        let mut edited = chain(&["one", "two", "three"]);
        edited[1].body = "tw0".into();
        assert_eq!(verify(&edited).first_broken, Some(2));

        let mut rehashed = chain(&["one", "two", "three"]);
        rehashed[1].body = "tw0".into();
        rehashed[1].hash = link(&rehashed[0].hash, "tw0");
        assert_eq!(verify(&rehashed).first_broken, Some(3), "re-hashing the edited entry breaks the next one");

        let mut removed = chain(&["one", "two", "three"]);
        removed.remove(1);
        assert_eq!(verify(&removed).first_broken, Some(2));

        let mut swapped = chain(&["one", "two", "three"]);
        swapped.swap(0, 1);
        assert_eq!(verify(&swapped).first_broken, Some(1));
    }
}
