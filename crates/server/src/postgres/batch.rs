//! Group commit of returns (issue 15's submit latency): the returns that reach one server process
//! while another is being decided join it, and all of them are decided one after the other in one
//! transaction, each against what the ones before it wrote, and committed together: one commit
//! (one WAL flush) and one turn of the audit chain's lock for the whole group, where each return
//! used to take its own, all of them in line behind the chain's lock and its flush.
//!
//! The rules stay those of a return alone ([`super::PgStore::return_alone`]):
//!
//! - **Per customer.** A return is decided only with its customer's row locked by the group's
//!   transaction (`FOR NO KEY UPDATE`), from a view read in a statement that starts after the lock
//!   was taken (READ COMMITTED), so nothing of that customer's can change under it in any process.
//!   The views of all the members that joined are read at once (two statements: the locks, then
//!   the views); each member's write is applied to the views still to be decided exactly as it
//!   changes the rows (`apply`), so the members of one customer are decided one after the other,
//!   each against the ledger and the reservation as the one before left them.
//! - **No deadlock.** A group takes its customers' locks only if they are free at once (`SKIP
//!   LOCKED`) and never waits for a row lock; a return whose customer is locked elsewhere (by
//!   another process, or a group of this one that is committing) leaves the group before
//!   deciding anything and is decided alone, waiting as a return alone does while holding
//!   nothing. The chain's advisory lock is taken last, just before the commit.
//! - **Answered when durable.** Every member waits for the group's commit; a failed commit is a
//!   store error (500) for all of them, and nothing of the group was written. Refusals wait too,
//!   since they may rest on an earlier member's write.
//! - **Once per session.** A replay in the same group finds the earlier member's answer in its
//!   view (`apply` puts it there, as the refund row would); in another process, the customer's
//!   lock orders them, and refunds stay UNIQUE per session.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex as StdMutex, PoisonError};

use chrono::{DateTime, Utc};
use contract::AuditEntry;
use desk::store::{Decide, Decision, ReturnView, ReturnWrite};
use desk::{DeskError, StoreError};
use sqlx::{PgConnection, PgPool, Postgres, Row, Transaction};
use tokio::sync::{watch, Mutex, Notify, OwnedMutexGuard};

use super::{record_all, RESERVATION_SELECT};
use crate::sqlite::db;

/// Returns one group decides at most; later ones start the next group.
const MAX_MEMBERS: usize = 64;

/// The group now open for new returns in this process, if any.
#[derive(Default)]
pub(crate) struct Batches {
    open: StdMutex<Option<Arc<Batch>>>,
}

impl std::fmt::Debug for Batches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Batches")
    }
}

/// One group: its transaction (taken in turn by its members), how many joined and have yet to
/// decide, and how it ended.
struct Batch {
    work: Arc<Mutex<Work>>,
    state: StdMutex<State>,
    decided: Notify,
    outcome: watch::Sender<Option<Result<(), String>>>,
}

#[derive(Default)]
struct Work {
    tx: Option<Transaction<'static, Postgres>>,
    /// A statement failed: the transaction is aborted, nothing more can be decided in it.
    broken: bool,
    /// Customers whose row this transaction has locked.
    locked: HashSet<String>,
    /// The views read for the members' sessions, kept as the members' writes change them:
    /// `None` for a session not decided here (its customer is locked elsewhere, or no such session).
    views: HashMap<String, Option<(String, ReturnView)>>,
    /// How many of the group's sessions have been read (or tried).
    read: usize,
    /// Audit entries of the returns decided to write, in order (linked at the end).
    audit: Vec<(DateTime<Utc>, AuditEntry)>,
}

struct State {
    joined: usize,
    /// The members' sessions, in the order they joined (the leader's first).
    sessions: Vec<String>,
    /// Members that joined and have not finished their turn.
    pending: usize,
    closed: bool,
}

/// How a return is in its group.
enum Role {
    /// It opened the group and holds its transaction for its own turn.
    Leader(OwnedMutexGuard<Work>),
    /// It joined an open group.
    Member,
}

impl Batches {
    /// Joins the open group, or opens one.
    fn join(&self, session_id: &str) -> (Arc<Batch>, Role) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(batch) = open.as_ref() {
            let mut state = batch.state.lock().unwrap_or_else(PoisonError::into_inner);
            if !state.closed && state.joined < MAX_MEMBERS {
                state.joined += 1;
                state.pending += 1;
                state.sessions.push(session_id.to_owned());
                return (batch.clone(), Role::Member);
            }
        }
        let (outcome, _) = watch::channel(None);
        let work = Arc::new(Mutex::new(Work::default()));
        let guard = work.clone().try_lock_owned().expect("a new group's transaction is free");
        let batch = Arc::new(Batch {
            work,
            state: StdMutex::new(State { joined: 1, sessions: vec![session_id.to_owned()], pending: 0, closed: false }),
            decided: Notify::new(),
            outcome,
        });
        *open = Some(batch.clone());
        (batch, Role::Leader(guard))
    }

    /// Closes `batch` to new members if every member has had its turn.
    fn close_if_decided(&self, batch: &Arc<Batch>) -> bool {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let mut state = batch.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.pending > 0 {
            return false;
        }
        state.closed = true;
        if open.as_ref().is_some_and(|o| Arc::ptr_eq(o, batch)) {
            *open = None;
        }
        true
    }
}

impl Batch {
    fn member_done(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).pending -= 1;
        self.decided.notify_one();
    }

    async fn outcome(&self) -> Result<(), String> {
        let mut rx = self.outcome.subscribe();
        let ended = rx.wait_for(Option::is_some).await.map(|o| o.clone());
        match ended {
            Ok(Some(outcome)) => outcome,
            _ => Err("the group's transaction ended without an outcome".to_owned()),
        }
    }
}

/// A member's own result, once the group's outcome is known.
fn settle<T>(mine: Result<T, DeskError>, outcome: Result<(), String>) -> Result<T, DeskError> {
    match outcome {
        Ok(()) => mine,
        Err(e) => Err(DeskError::Store(StoreError(format!("the return's transaction failed: {e}")))),
    }
}

/// A return in a group. `Ok(result)` when it was decided in the group (answer once the group
/// committed), `Err(decide)` when it was not and must be decided alone.
pub(crate) async fn in_group<T, D: Decide<ReturnView, ReturnWrite, T>>(
    pool: &PgPool,
    batches: &Batches,
    session_id: &str,
    decide: D,
) -> Result<Result<T, DeskError>, D> {
    let (batch, role) = batches.join(session_id);
    let mut decide = Some(decide);
    match role {
        Role::Leader(mut work) => {
            let mine = turn(pool, &batch, &mut work, session_id, &mut decide).await;
            drop(work);
            loop {
                if batches.close_if_decided(&batch) {
                    break;
                }
                batch.decided.notified().await;
            }
            let outcome = {
                let mut work = batch.work.lock().await;
                finish(&mut work).await
            };
            batch.outcome.send_replace(Some(outcome.clone()));
            match (mine, decide) {
                (Some(mine), _) => Ok(settle(mine, outcome)),
                (None, Some(decide)) => Err(decide),
                (None, None) => Ok(Err(DeskError::Store(StoreError("the return was not decided".to_owned())))),
            }
        }
        Role::Member => {
            let mine = {
                let mut work = batch.work.lock().await;
                if work.broken {
                    None
                } else {
                    turn(pool, &batch, &mut work, session_id, &mut decide).await
                }
            };
            batch.member_done();
            match (mine, decide) {
                (Some(mine), _) => Ok(settle(mine, batch.outcome().await)),
                (None, Some(decide)) => Err(decide),
                (None, None) => Ok(Err(DeskError::Store(StoreError("the return was not decided".to_owned())))),
            }
        }
    }
}

/// One return's turn in the group's transaction: `None` when it was not decided here (its
/// customer is locked elsewhere, there is no such session, or a statement failed before
/// `decide` was called: `decide` is left in place), else what it decided.
async fn turn<T, D: Decide<ReturnView, ReturnWrite, T>>(
    pool: &PgPool,
    batch: &Batch,
    work: &mut Work,
    session_id: &str,
    decide: &mut Option<D>,
) -> Option<Result<T, DeskError>> {
    match try_turn(pool, batch, work, session_id, decide).await {
        Ok(decided) => decided,
        Err(e) => {
            work.broken = true;
            // `decide` not called yet: the return can still be decided alone.
            decide.is_none().then_some(Err(DeskError::Store(e)))
        }
    }
}

async fn try_turn<T, D: Decide<ReturnView, ReturnWrite, T>>(
    pool: &PgPool,
    batch: &Batch,
    work: &mut Work,
    session_id: &str,
    decide: &mut Option<D>,
) -> Result<Option<Result<T, DeskError>>, StoreError> {
    if work.tx.is_none() {
        work.tx = Some(pool.begin().await.map_err(db)?);
    }
    if !work.views.contains_key(session_id) {
        read_members(batch, work).await?;
    }
    let Some(Some((_, view))) = work.views.get(session_id) else { return Ok(None) };
    let view = view.clone();
    let Some(decide) = decide.take() else { return Ok(None) };
    let (write, answer) = match decide(view) {
        Ok(Decision::Answer(answer)) => return Ok(Some(Ok(answer))),
        Err(refused) => return Ok(Some(Err(refused))),
        Ok(Decision::Write(write, answer)) => (write, answer),
    };
    super::writes::write_return(work.tx.as_mut().expect("begun above"), &write).await?;
    for (customer_id, view) in work.views.values_mut().flatten() {
        apply(customer_id, view, &write);
    }
    work.audit.push((write.refund.at, write.audit));
    Ok(Some(Ok(answer)))
}

/// The views of every member that joined and has not been read yet, in two statements whatever
/// their number: their customers' rows locked where free now (or already this transaction's),
/// then their views read after the locks.
async fn read_members(batch: &Batch, work: &mut Work) -> Result<(), StoreError> {
    let sessions: Vec<String> = {
        let state = batch.state.lock().unwrap_or_else(PoisonError::into_inner);
        let new = state.sessions[work.read.min(state.sessions.len())..].iter().filter(|s| !work.views.contains_key(*s)).cloned().collect();
        work.read = state.sessions.len();
        new
    };
    let tx: &mut PgConnection = work.tx.as_mut().expect("begun");
    let locked: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.id, r.customer_id FROM refund_sessions s \
         JOIN reservations r ON r.reservation_order_id = s.reservation_order_id AND r.id = s.reservation_id \
         JOIN customers c ON c.id = r.customer_id \
         WHERE s.id = ANY($1) FOR NO KEY UPDATE OF c SKIP LOCKED",
    )
    .bind(&sessions)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let here: Vec<String> = locked.iter().map(|(session, _)| session.clone()).collect();
    work.locked.extend(locked.into_iter().map(|(_, customer)| customer));
    let mut views: HashMap<String, (String, ReturnView)> = if here.is_empty() {
        HashMap::new()
    } else {
        read_views(tx, &here, "").await?.into_iter().map(|(session, customer, view)| (session, (customer, view))).collect()
    };
    for session in sessions {
        let view = views.remove(&session);
        work.views.insert(session, view);
    }
    Ok(())
}

/// What a member's write changes in a view read before it, exactly as the write changes the rows
/// the view was read from: the answer of its session, its reservation's units and state, and its
/// customer's ledger (the new entry placed as `ORDER BY date, id` places it: after every entry of
/// its date or before, the newest ID).
fn apply(customer_id: &str, view: &mut ReturnView, write: &ReturnWrite) {
    let refund = &write.refund;
    if view.session.as_ref().is_some_and(|s| s.id == refund.response.session_id) {
        view.completed = Some(refund.response.clone());
    }
    if let Some((r, _)) = view.reservation.as_mut() {
        if r.reservation_order_id == refund.order_id && r.id == refund.reservation_id {
            r.quantity = write.remaining_quantity;
            r.provisioning_state = write.state;
        }
    }
    if let Some(entry) = write.ledger_entry.as_ref().filter(|e| e.customer_id == customer_id) {
        let at = view.ledger.iter().rposition(|e| e.date <= entry.date).map_or(0, |i| i + 1);
        view.ledger.insert(at, entry.clone());
    }
}

/// The sessions' views (each with its customer's row locked as `suffix` says, or no lock for
/// `""`): the session, the answer already given for it, its reservation and the customer's
/// ledger, in one statement. A session is missing when there is no such session, its reservation
/// is gone, or (`SKIP LOCKED`) its customer is locked elsewhere.
async fn read_views(conn: &mut PgConnection, sessions: &[String], suffix: &str) -> Result<Vec<(String, String, ReturnView)>, StoreError> {
    use sqlx::FromRow;
    let sql = format!(
        "SELECT s.id AS s_id, s.reservation_order_id AS s_order_id, s.reservation_id AS s_reservation_id, s.policy AS s_policy, \
         s.quote AS s_quote, s.created_at AS s_created_at, s.expires_at AS s_expires_at, \
         (SELECT response FROM refunds f WHERE f.session_id = s.id) AS s_completed, \
         (SELECT json_agg(json_build_array(to_char(l.date, 'YYYY-MM-DD'), l.amount::text, l.currency, l.reservation_id, \
             l.reservation_order_id) ORDER BY l.date, l.id)::text FROM refund_ledger l WHERE l.customer_id = r.customer_id) AS s_ledger, \
         r.* \
         FROM refund_sessions s \
         JOIN (SELECT {RESERVATION_SELECT} FROM reservations) r ON r.reservation_order_id = s.reservation_order_id AND r.id = s.reservation_id \
         JOIN customers c ON c.id = r.customer_id \
         WHERE s.id = ANY($1) {suffix}"
    );
    let rows = sqlx::query(&sql).bind(sessions).fetch_all(&mut *conn).await.map_err(db)?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let session_id: String = row.try_get("s_id").map_err(db)?;
        let session = super::writes::session_from_row(
            &session_id,
            (
                row.try_get("s_order_id").map_err(db)?,
                row.try_get("s_reservation_id").map_err(db)?,
                row.try_get("s_policy").map_err(db)?,
                row.try_get("s_quote").map_err(db)?,
                row.try_get("s_created_at").map_err(db)?,
                row.try_get("s_expires_at").map_err(db)?,
            ),
        )?;
        let completed: Option<String> = row.try_get("s_completed").map_err(db)?;
        let completed = completed.map(|json| crate::sqlite::decode("response", &json)).transpose()?;
        let ledger: Option<String> = row.try_get("s_ledger").map_err(db)?;
        let reservation = crate::sqlite::rows::ReservationRow::from_row(&row).and_then(|r| r.into_reservation()).map_err(db)?;
        let customer_id = reservation.0.customer_id.clone();
        let ledger = match ledger {
            Some(json) => super::ledger_from_json(&customer_id, &json)?,
            None => Vec::new(),
        };
        let view = ReturnView { completed, session: Some(session), reservation: Some(reservation), ledger };
        views.push((session_id, customer_id, view));
    }
    Ok(views)
}

/// Ends the group's transaction: the audit entries linked under the chain's lock and a commit
/// when a member wrote, a rollback otherwise.
async fn finish(work: &mut Work) -> Result<(), String> {
    let Some(mut tx) = work.tx.take() else { return Ok(()) };
    if work.broken {
        let _ = tx.rollback().await;
        return Err("a statement of the group failed; nothing was written".to_owned());
    }
    if work.audit.is_empty() {
        // Release the customers' locks now rather than when the pool next pings the connection.
        return tx.rollback().await.map_err(|e| e.to_string());
    }
    record_all(&mut tx, &work.audit).await.map_err(|e| e.0)?;
    tx.commit().await.map_err(|e| e.to_string())
}
