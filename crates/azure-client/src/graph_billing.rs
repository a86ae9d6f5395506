//! Microsoft Graph: a billed invoice's reconciliation lines, exported as Microsoft documents it
//! (delegated `PartnerBilling.Read.All`, in the partner's tenant, on behalf of the user):
//!
//! 1. `POST /v1.0/reports/partners/billing/reconciliation/billed/export` with `{"invoiceId",
//!    "attributeSet": "full"}` answers `202 Accepted` and `Location`, the export operation;
//! 2. `GET` of the operation answers `200` in every state: `running` (or `notStarted`) is asked
//!    again after its `Retry-After`; `succeeded` (the resource pages say `completed`: both are
//!    taken) gives the manifest, inline under `resourceLocation` (as Microsoft's sample reads it)
//!    or linked by `resourceLocation@odata.navigationLink` (as the documented example shows it);
//!    `failed` carries Graph's `error`;
//! 3. the manifest names a `rootDirectory`, a `sasToken` and the `blobs`; each blob is fetched
//!    at `rootDirectory/name` with the SAS token as its query (as Microsoft's sample does), with
//!    no Graph token: gzip-compressed JSON lines, read by the service layer.
//!
//! Graph's links are followed only while they point at the configured Graph (a token is never
//! sent elsewhere); a blob may be elsewhere (Azure Blob Storage) and gets no token.

use std::time::Duration;

use secrecy::ExposeSecret;
use serde::Deserialize;

use crate::http::retry_after;
use crate::lro::same_origin;
use crate::{AzureClient, AzureError, Reader};

/// Microsoft Graph's scope for the partner's billing reports, delegated.
pub const GRAPH_BILLING_SCOPE: &str = "https://graph.microsoft.com/PartnerBilling.Read.All";
/// Polls of one export, at most.
const MOST_POLLS: u32 = 120;
/// The longest the desk waits for one export in all before telling the user to try later.
const LONGEST_EXPORT: Duration = Duration::from_secs(300);
/// Blobs of one manifest, at most.
const MOST_BLOBS: usize = 200;

/// An invoice's lines as Graph exported them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// Graph's operation ID (for Microsoft support).
    pub operation_id: String,
    /// Each blob's bytes, in the manifest's order (gzip-compressed JSON lines).
    pub files: Vec<Vec<u8>>,
}

/// The operation, every member optional (none is marked required).
#[derive(Deserialize, Default)]
struct Operation {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default, rename = "resourceLocation")]
    resource_location: Option<serde_json::Value>,
    #[serde(default, rename = "resourceLocation@odata.navigationLink")]
    manifest_link: Option<String>,
    #[serde(default)]
    error: Option<PublicError>,
}

#[derive(Deserialize, Default)]
struct PublicError {
    #[serde(default)]
    code: Option<serde_json::Value>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize, Default, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Manifest {
    #[serde(default)]
    root_directory: Option<String>,
    #[serde(default)]
    sas_token: Option<String>,
    #[serde(default)]
    blobs: Option<Vec<Blob>>,
}

#[derive(Deserialize, Default, Debug, PartialEq, Eq)]
struct Blob {
    #[serde(default)]
    name: Option<String>,
}

/// What one poll of the operation says.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum State {
    /// Not ready: ask again.
    Running,
    /// Done: the manifest inline, or where it is.
    Manifest(Box<Manifest>),
    ManifestAt(String),
    /// Graph could not make the file.
    Failed { code: String, message: String },
}

/// Reads one answer of the operation.
pub(crate) fn read_operation(body: &[u8]) -> Result<(Option<String>, State), serde_json::Error> {
    let op: Operation = serde_json::from_slice(body)?;
    let state = match op.status.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("failed") => {
            let e = op.error.unwrap_or_default();
            let code = match e.code {
                Some(serde_json::Value::String(s)) => s,
                Some(other) => other.to_string(),
                None => "ExportFailed".into(),
            };
            State::Failed { code, message: e.message.unwrap_or_else(|| "Microsoft Graph could not export the invoice's lines".into()) }
        }
        Some("succeeded" | "completed") => match (op.resource_location, op.manifest_link) {
            (Some(value @ serde_json::Value::Object(_)), _) => State::Manifest(Box::new(serde_json::from_value(value)?)),
            (_, Some(link)) => State::ManifestAt(link),
            (Some(serde_json::Value::String(link)), None) => State::ManifestAt(link),
            _ => State::Failed { code: "UnreadableAnswer".into(), message: "Microsoft Graph's export succeeded without saying where its manifest is".into() },
        },
        // `notStarted`, `running`, or a status Graph adds later: not done.
        _ => State::Running,
    };
    Ok((op.id, state))
}

/// Each blob's address: `rootDirectory/name?sasToken`.
pub(crate) fn blob_urls(manifest: &Manifest) -> Result<Vec<String>, String> {
    let root = manifest.root_directory.as_deref().filter(|r| !r.is_empty()).ok_or("the manifest has no rootDirectory")?.trim_end_matches('/');
    let sas = manifest.sas_token.as_deref().unwrap_or_default().trim_start_matches('?');
    let blobs = manifest.blobs.as_deref().unwrap_or_default();
    if blobs.len() > MOST_BLOBS {
        return Err(format!("the manifest lists more than {MOST_BLOBS} files"));
    }
    blobs
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let name = b.name.as_deref().filter(|n| !n.is_empty() && !n.contains("..")).ok_or_else(|| format!("file {i} of the manifest has no name"))?;
            Ok(if sas.is_empty() { format!("{root}/{name}") } else { format!("{root}/{name}?{sas}") })
        })
        .collect()
}

/// The invoice `invoice_id`'s reconciliation lines, exported by Graph on behalf of `user` in
/// `partner_tenant`.
pub(crate) async fn billed_reconciliation(client: &AzureClient, user: &Reader, partner_tenant: &str, invoice_id: &str) -> Result<Exported, AzureError> {
    let token = client.token_for(user, partner_tenant, GRAPH_BILLING_SCOPE).await?;
    let base = client.settings.graph_url.trim_end_matches('/');
    let start = format!("{base}/v1.0/reports/partners/billing/reconciliation/billed/export");
    let body = serde_json::json!({ "invoiceId": invoice_id, "attributeSet": "full" });
    let what = "Microsoft Graph's reconciliation export";
    let answer = client.send_graph(crate::http::Service::Graph, partner_tenant, what, || client.http.post(&start).bearer_auth(token.expose_secret()).json(&body)).await?;
    let location = answer.headers.get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let Some(mut operation) = location.filter(|l| !l.is_empty()) else {
        return Err(answer.unreadable(what, "it gave no Location to follow"));
    };
    if !same_origin(&operation, base) {
        return Err(AzureError::new("UnexpectedLink", "Microsoft Graph's export operation is on another host").with_request(answer.request.clone()));
    }
    let mut waited = Duration::ZERO;
    let mut polls = 0;
    let (operation_id, manifest) = loop {
        polls += 1;
        let answer = client.send_graph(crate::http::Service::Graph, partner_tenant, what, || client.http.get(&operation).bearer_auth(token.expose_secret()).header("Accept", "application/json")).await?;
        let (id, state) = read_operation(&answer.body).map_err(|e| answer.unreadable("Microsoft Graph's export operation", e))?;
        let id = id.unwrap_or_else(|| operation.rsplit('/').next().unwrap_or_default().to_owned());
        match state {
            State::Running => {
                let wait = retry_after(answer.headers.get(reqwest::header::RETRY_AFTER).and_then(|v| v.to_str().ok()), (client.clock)()).clamp(Duration::from_secs(1), Duration::from_secs(60));
                waited += wait;
                if polls >= MOST_POLLS || waited > LONGEST_EXPORT {
                    return Err(AzureError::new(
                        "ExportNotReady",
                        format!("Microsoft Graph was still preparing invoice {invoice_id}'s lines after {} s (operation {id}): try again in a few minutes", waited.as_secs()),
                    )
                    .with_request(answer.request.clone()));
                }
                (client.sleep)(wait).await;
                // A later Location (Graph may move the operation) is followed on the same host only.
                if let Some(next) = answer.headers.get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).filter(|l| same_origin(l, base)) {
                    operation = next.to_owned();
                }
            }
            State::Failed { code, message } => {
                return Err(AzureError { retry_after: None, status: Some(answer.status), code, message: format!("{message} (operation {id})"), request: Box::new(answer.request.clone()) });
            }
            State::Manifest(m) => break (id, *m),
            State::ManifestAt(link) => {
                if !same_origin(&link, base) {
                    return Err(AzureError::new("UnexpectedLink", "Microsoft Graph's manifest is on another host").with_request(answer.request.clone()));
                }
                let answer = client.send_graph(crate::http::Service::Graph, partner_tenant, what, || client.http.get(&link).bearer_auth(token.expose_secret()).header("Accept", "application/json")).await?;
                let manifest: Manifest = serde_json::from_slice(&answer.body).map_err(|e| answer.unreadable("Microsoft Graph's export manifest", e))?;
                break (id, manifest);
            }
        }
    };
    let urls = blob_urls(&manifest).map_err(|e| AzureError::new("UnreadableAnswer", format!("Microsoft Graph's export manifest could not be read: {e}")))?;
    let secure = base.starts_with("https://");
    let mut files = Vec::with_capacity(urls.len());
    for url in urls {
        // A stand-in Graph on loopback (tests) may serve its files over http; Microsoft's are https.
        if secure && !url.starts_with("https://") {
            return Err(AzureError::new("UnexpectedLink", "Microsoft Graph's export file is not at an https address"));
        }
        let answer = client.send(partner_tenant, "Microsoft's export file storage", || client.http.get(&url)).await?;
        files.push(answer.body);
    }
    Ok(Exported { operation_id, files })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUCCEEDED: &str = include_str!("../../azure-api/tests/published/graph/billing-operation-get-succeeded-response.json");
    const RUNNING: &str = include_str!("../../azure-api/tests/published/graph/billing-operation-get-running-response.json");
    const FAILED: &str = include_str!("../../azure-api/tests/published/graph/billing-operation-get-failed-response.json");
    const MANIFEST: &str = include_str!("../../azure-api/tests/published/graph/billing-manifest-get-response.json");

    #[test]
    fn graphs_documented_operation_answers_read_as_their_states() {
        let (id, state) = read_operation(SUCCEEDED.as_bytes()).unwrap();
        assert_eq!(id.as_deref(), Some("6fe687d7-1e0f-4bd6-9091-4672691f64bc"));
        assert_eq!(state, State::ManifestAt("https://graph.microsoft.com/v1.0/reports/partners/billing/manifests/8fe347d7-1e0f-4bd6-9091-4672691f32db".into()));
        assert_eq!(read_operation(RUNNING.as_bytes()).unwrap().1, State::Running);
        assert_eq!(read_operation(FAILED.as_bytes()).unwrap().1, State::Failed { code: "5000".into(), message: "No data available".into() });
        // The manifest inline, as Microsoft's sample reads it, and `completed` as the resource pages name success.
        let inline = serde_json::json!({ "status": "completed", "resourceLocation": serde_json::from_str::<serde_json::Value>(MANIFEST).unwrap() });
        assert!(matches!(read_operation(inline.to_string().as_bytes()).unwrap().1, State::Manifest(_)));
    }

    #[test]
    fn the_documented_manifest_gives_each_files_address_with_its_sas_token() {
        let manifest: Manifest = serde_json::from_str(MANIFEST).unwrap();
        let urls = blob_urls(&manifest).unwrap();
        assert_eq!(urls.len(), 1);
        assert!(urls[0].starts_with("https://adlsreconbuprodeastus201.blob.core.windows.net/billedusagefastpath/v1/PartnerTenantId=0e195b37-4574-4539-bc42-0e539b9684c0/"), "{}", urls[0]);
        assert!(urls[0].contains("/part-00049-b016029b-a7a7-4c46-9b5e-c925ac317ac6.c000.json.gz?skoid="), "{}", urls[0]);
    }

    #[test]
    fn each_property_of_the_documented_answers_removed_in_turn_is_read_or_refused_with_why() {
        use crate::test_json::{paths, without};
        for published in [SUCCEEDED, RUNNING, FAILED] {
            let value: serde_json::Value = serde_json::from_str(published).unwrap();
            for path in paths(&value) {
                let changed = without(&value, &path);
                let read = read_operation(changed.to_string().as_bytes());
                assert!(read.is_ok(), "without {path}: {read:?}", read = read.err());
                let state = read.unwrap().1;
                // Without its status an operation is not taken as done; without its manifest's
                // link a success says so.
                if path == "/status" {
                    assert_eq!(state, State::Running, "without {path}");
                } else if path == "/resourceLocation@odata.navigationLink" {
                    assert!(matches!(state, State::Failed { .. }), "without {path}");
                }
            }
        }
        let manifest: serde_json::Value = serde_json::from_str(MANIFEST).unwrap();
        for path in paths(&manifest) {
            let changed: Manifest = serde_json::from_value(without(&manifest, &path)).unwrap();
            let urls = blob_urls(&changed);
            match path.as_str() {
                "/rootDirectory" | "/blobs/0/name" | "/blobs/0" => assert!(urls.is_err() || urls.as_ref().is_ok_and(Vec::is_empty), "without {path}: {urls:?}"),
                "/blobs" => assert_eq!(urls.unwrap().len(), 0),
                "/sasToken" => assert!(!urls.unwrap()[0].contains('?')),
                _ => assert_eq!(urls.unwrap().len(), 1, "without {path}"),
            }
        }
    }
}
