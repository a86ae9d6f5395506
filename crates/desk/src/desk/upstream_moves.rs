//! What refunds and exchanges through Azure share (Azure mode): who acts, the
//! operations a request of this process is carrying now, following an accepted operation to its
//! end and recording it, and carrying on an operation a stop left `asked` or `sent` (never
//! posting it again). Each kind's own steps are in `upstream_refund.rs` and
//! `upstream_exchange.rs`.

use chrono::{DateTime, Utc};
use contract::ProblemCode;
use desk_service::ServiceError;

use super::Desk;
use crate::upstream::{Bought, Detail, Followed, OnBehalf, PollAt, Started, UpstreamError, UpstreamOperation, UpstreamState};
use crate::{Call, DeskError, Ids};

pub(super) fn problem(code: ProblemCode, detail: impl Into<String>) -> DeskError {
    ServiceError::new(code, detail.into()).into()
}

/// How long an `asked` operation is left to the request that claimed it: while that request may
/// still be posting it (in this process or another one sharing the database), reading ARM could
/// find the units not yet gone and call it failed. Longer than `azure-client`'s longest change
/// (`Settings::longest_request`: a token and a request, each 4 tries of 30 s and 3 waits of
/// 120 s, 16 minutes; a server test holds the two together). Younger, a second submit answers
/// "in progress" and a resumer leaves it for a later round.
pub const ASKED_GRACE_SECONDS: i64 = 20 * 60;

/// Whether `op` is `asked` and young enough that its request may still be posting it.
fn may_be_posting(op: &UpstreamOperation, now: DateTime<Utc>) -> bool {
    op.state == UpstreamState::Asked && now - op.updated_at < chrono::TimeDelta::seconds(ASKED_GRACE_SECONDS)
}

/// Azure is still carrying out the operation of this `kind` (`return`, `exchange`).
pub(super) fn in_progress(kind: &str) -> DeskError {
    problem(
        ProblemCode::UpstreamInProgress,
        format!("Azure is still carrying out this {kind}. The desk records it when Azure confirms it; submit again later to see how it ended."),
    )
}

/// The caller acting in Azure (a demo user cannot).
pub(super) fn who(call: &Call) -> Result<&OnBehalf, DeskError> {
    call.on_behalf.as_ref().ok_or_else(|| {
        problem(ProblemCode::RoleForbids, "Only a user signed in through the identity provider can act in Azure (a demo user cannot).")
    })
}

/// How a claimed operation stands for the caller who submits its session again.
pub(super) enum Settled {
    /// Azure confirmed it; recorded.
    Succeeded,
    /// Azure refused it, or it failed: why.
    Failed(String),
    /// Still running (or being carried by another request of this process).
    Running,
}

/// The desk sessions whose money move a request of this process is carrying to Azure now;
/// removed when that request ends, however it ends.
pub(super) struct Carrying<'a> {
    in_flight: &'a std::sync::Mutex<std::collections::HashSet<String>>,
    session_id: String,
}

impl<'a> Carrying<'a> {
    pub(super) fn start(in_flight: &'a std::sync::Mutex<std::collections::HashSet<String>>, session_id: &str) -> Self {
        if let Ok(mut set) = in_flight.lock() {
            set.insert(session_id.to_owned());
        }
        Self { in_flight, session_id: session_id.to_owned() }
    }

    pub(super) fn carried(in_flight: &std::sync::Mutex<std::collections::HashSet<String>>, session_id: &str) -> bool {
        in_flight.lock().map(|set| set.contains(session_id)).unwrap_or(false)
    }
}

impl Drop for Carrying<'_> {
    fn drop(&mut self) {
        if let Ok(mut set) = self.in_flight.lock() {
            set.remove(&self.session_id);
        }
    }
}

impl<S: crate::DeskStore, I: Ids> Desk<S, I> {
    /// Keeps on the customer's status that Azure refused the user a quote there (`refused`, a
    /// 403: the tenant reads but the user may not change it, as a B2B guest or a read-only role),
    /// or clears it once Azure quoted (`None`): what the readiness table says of the tenant. A
    /// failure to keep it changes nothing the caller hears (the quote's own answer stands).
    pub(super) async fn note_refusal(&self, customer_id: &str, refused: Option<&UpstreamError>, now: DateTime<Utc>) {
        let kept = match refused {
            Some(e) if e.status == Some(403) => {
                let error = contract::source::SourceError {
                    code: e.code.clone(),
                    message: e.message.clone(),
                    status: e.status,
                    at: crate::source::instant_text(now),
                    request: (*e.request).clone(),
                };
                self.store.record_change_refused(customer_id, Some(&error)).await
            }
            Some(_) => return,
            None => self.store.record_change_refused(customer_id, None).await,
        };
        // The store's error is not the caller's: the quote's answer stands, and the next one
        // keeps it again.
        drop(kept);
    }

    /// Keeps a move Azure quoted (`quoted`) with the desk's session, one of `kind` (`return`,
    /// `exchange`, `purchase`) in `tenant_id` under Azure's session (none for a purchase), with
    /// what it moves; quotes whose sessions are gone are purged. Not kept when another request
    /// already carries the session's move: its operation answers the Submit or approval that
    /// follows.
    pub(super) async fn keep_quoted(
        &self, call: &Call, kind: &str, desk_session_id: &str, azure_session_id: &str, tenant_id: String, detail: Detail,
    ) -> Result<(), DeskError> {
        let operation = UpstreamOperation {
            id: self.new_id(),
            kind: kind.into(),
            desk_session_id: desk_session_id.to_owned(),
            azure_session_id: azure_session_id.to_owned(),
            tenant_id,
            state: UpstreamState::Quoted,
            poll: None,
            requested_by: None,
            last_error: None,
            detail,
            created_at: call.now,
            updated_at: call.now,
        };
        let _kept = self.store.save_upstream(&operation, super::money::quotes_purged_before(call.now)).await?;
        Ok(())
    }

    pub(super) fn connected(&self) -> Result<(), DeskError> {
        if self.upstream.asks() {
            Ok(())
        } else {
            Err(problem(ProblemCode::UpstreamUnavailable, "This desk is in Azure mode but has no connection to Azure."))
        }
    }

    /// Claims the `quoted` operation `op` (by its own ID) once, as `call`'s user, with `detail`
    /// (what it moves, as claimed), stamped with the adapter's clock at the claim: `Ok` the
    /// operation now `asked`, to post; `Err` the operation as it stands when it was claimed
    /// before, or replaced by another request's quote (its state answers; it is never posted
    /// again). `approval`: the approval request this claim carries out; losing its claim to
    /// another approver is a 409 `approvalClosed`.
    pub(super) async fn claim(
        &self, call: &Call, op: UpstreamOperation, detail: Detail, approval: Option<&str>,
    ) -> Result<Result<UpstreamOperation, UpstreamOperation>, DeskError> {
        let requested_by = call.user.user_principal_name.clone();
        let at = self.upstream.now().unwrap_or(call.now);
        if !self.store.claim_upstream(&op.id, &requested_by, &detail, at).await? {
            if let Some(id) = approval {
                return Err(problem(
                    ProblemCode::ApprovalClosed,
                    format!("Another approver is carrying out approval request '{id}' in Azure; it shows as approved once Azure confirms it."),
                ));
            }
            let before = self.store.upstream_of_session(&op.desk_session_id).await?.ok_or_else(|| in_progress(&op.kind))?;
            return Ok(Err(before));
        }
        Ok(Ok(UpstreamOperation { state: UpstreamState::Asked, requested_by: Some(requested_by), detail, updated_at: at, ..op }))
    }

    /// Carries a claimed operation on from how Azure answered its post: refused, it failed
    /// (Azure's error kept); no answer or a 5xx, whether Azure has it is unknown (it stays
    /// `asked` and is reconciled by reading ARM, never posted again); done at once, recorded;
    /// accepted, its URL kept (`sent`), followed and recorded.
    pub(super) async fn carry_on(
        &self, now: DateTime<Utc>, who: &OnBehalf, mut op: UpstreamOperation, started: Result<Started, UpstreamError>,
    ) -> Result<(), DeskError> {
        match started {
            Err(e) if e.refused() => {
                self.store.set_upstream(&op.id, UpstreamState::Failed, None, Some(&e.text()), now).await?;
                Err(e.problem(&format!("refused the {}", op.kind)))
            }
            Err(e) => Err(e.problem(&format!("did not confirm the {}", op.kind))),
            Ok(Started::Done(bought)) => self.record_confirmed(now, who, &op, bought).await,
            Ok(Started::Sent(poll)) => {
                self.store.set_upstream(&op.id, UpstreamState::Sent, Some(&poll), None, now).await?;
                op.state = UpstreamState::Sent;
                op.poll = Some(poll);
                self.follow_and_record(now, who, &op).await
            }
        }
    }

    /// Records an operation Azure confirmed, by its kind, with what Azure said it bought.
    pub(super) async fn record_confirmed(&self, now: DateTime<Utc>, who: &OnBehalf, op: &UpstreamOperation, bought: Vec<Bought>) -> Result<(), DeskError> {
        match &op.detail {
            Detail::Return(d) => self.record_return(now, who, op, d).await,
            Detail::Exchange(d) => self.record_exchange(now, who, op, d, bought).await,
            Detail::Purchase(d) => self.record_purchase(now, who, op, d, bought).await,
        }
    }

    /// Follows a `sent` operation and records it when Azure confirms it.
    pub(super) async fn follow_and_record(&self, now: DateTime<Utc>, who: &OnBehalf, op: &UpstreamOperation) -> Result<(), DeskError> {
        let poll = op.poll.clone().unwrap_or(PollAt { url: String::new(), kind: "location".into(), wait_seconds: 0 });
        let followed = match &op.detail {
            // A purchase is Partner Center's order, followed to the reservation ARM made.
            Detail::Purchase(_) => self.purchase_fulfilled(who, op, &poll).await,
            _ => self.upstream.follow(who, &op.tenant_id, &poll).await,
        };
        match followed {
            Ok(Followed::Succeeded(bought)) => self.record_confirmed(now, who, op, bought).await,
            Ok(Followed::Running) => Err(in_progress(&op.kind)),
            // A purchase Partner Center checked out fails only on its own word that the order
            // ended; any other error (a refused read, a token) leaves it to follow again.
            Err(e) if op.detail.purchased().is_some() && e.code != crate::upstream::PARTNER_CENTER_ORDER_ENDED => {
                Err(e.problem(&format!("could not be asked how the {} goes", op.kind)))
            }
            Err(e) if e.refused() || e.code.starts_with("Operation") => {
                self.store.set_upstream(&op.id, UpstreamState::Failed, Some(&poll), Some(&e.text()), now).await?;
                Err(e.problem(&format!("ended the {} failed", op.kind)))
            }
            Err(e) => Err(e.problem(&format!("could not be asked how the {} goes", op.kind))),
        }
    }

    /// How a claimed operation stands now; an unfinished one not carried by this process (nor,
    /// if `asked`, possibly by another: [`ASKED_GRACE_SECONDS`]) is carried on first
    /// ([`Desk::resume`]).
    pub(super) async fn settle(&self, now: DateTime<Utc>, who: &OnBehalf, op: UpstreamOperation) -> Result<Settled, DeskError> {
        let session_id = op.desk_session_id.clone();
        let state = match op.state {
            UpstreamState::Asked | UpstreamState::Sent if !Carrying::carried(&self.in_flight, &session_id) && !may_be_posting(&op, now) => {
                self.resume(now, who, op).await?
            }
            state => state,
        };
        Ok(match state {
            UpstreamState::Succeeded => Settled::Succeeded,
            UpstreamState::Failed => {
                let why = self.store.upstream_of_session(&session_id).await?.and_then(|o| o.last_error).unwrap_or_default();
                Settled::Failed(why)
            }
            _ => Settled::Running,
        })
    }

    /// Carries an `asked` or `sent` operation on: a `sent` one followed (and recorded when Azure
    /// confirms it); an `asked` one reconciled by reading its reservations from ARM (a return's
    /// or an exchange's units gone: Azure has it, recorded from what ARM shows; otherwise it
    /// failed, with a reason the user sees). Never posted again. Answers the state it is left in.
    pub async fn resume(&self, now: DateTime<Utc>, who: &OnBehalf, op: UpstreamOperation) -> Result<UpstreamState, DeskError> {
        self.connected()?;
        let outcome = match (&op.state, &op.detail) {
            (UpstreamState::Sent, _) => self.follow_and_record(now, who, &op).await,
            (UpstreamState::Asked, Detail::Return(d)) => self.reconcile_return(now, who, &op, d).await,
            (UpstreamState::Asked, Detail::Exchange(d)) => self.reconcile_exchange(now, who, &op, d).await,
            (UpstreamState::Asked, Detail::Purchase(d)) => self.reconcile_purchase(now, who, &op, d).await,
            _ => Ok(()),
        };
        let after = self.store.upstream_of_session(&op.desk_session_id).await?.map_or(op.state, |o| o.state);
        match outcome {
            Err(e) if after == op.state => Err(e),
            _ => Ok(after),
        }
    }

    /// Every operation left `asked` or `sent`, carried on ([`Desk::resume`]) on behalf of `who`
    /// at `now`: each one's ID and the state it is left in (an error leaves it as it was; an
    /// `asked` one whose request may still be posting it is left `asked`, for a later round).
    pub async fn resume_upstream(&self, now: DateTime<Utc>, who: &OnBehalf) -> Result<Vec<(String, Result<UpstreamState, DeskError>)>, DeskError> {
        let mut out = Vec::new();
        for op in self.store.unfinished_upstream().await? {
            if Carrying::carried(&self.in_flight, &op.desk_session_id) {
                continue;
            }
            if may_be_posting(&op, now) {
                out.push((op.id.clone(), Ok(UpstreamState::Asked)));
                continue;
            }
            let id = op.id.clone();
            out.push((id, self.resume(now, who, op).await));
        }
        Ok(out)
    }
}
