//! Group commit of returns (for submit latency): the returns that reach one server process
//! while another is being decided join it, and all of them are decided one after the other in one
//! transaction, each against what the ones before it decided, and written and committed together
//! when the last has had its turn: one statement for all their writes, one turn of the audit
//! chain's lock and one commit (one WAL flush) for the whole group, where each return used to take
//! its own, all of them in line behind the chain's lock and its flush.
//!
//! The rules stay those of a return alone ([`super::PgStore::return_alone`]):
//!
//! - **Per customer.** A return is decided only with its customer's row locked by the group's
//!   transaction (`FOR NO KEY UPDATE`), from a view read in a statement that starts after the lock
//!   was taken (READ COMMITTED), so nothing of that customer's can change under it in any process.
//!   The views of all the members that joined are read at once (two statements: the locks, then
//!   the views); each member's write is applied to the views still to be decided, and to views
//!   read later in the group, exactly as it will change the rows (`ReturnWrite::apply_to_view`,
//!   the one model of a return's write every store shares), so the members of one customer are
//!   decided one after the other, each against the ledger and the reservation as the one before
//!   left them.
//! - **No deadlock.** A group takes its customers' locks only if they are free at once (`SKIP
//!   LOCKED`) and never waits for a row lock. It begins only once the groups of this process that
//!   are committing have ended (they hold their customers' locks until then; the returns arriving
//!   meanwhile join it), holding nothing while it waits. A return whose customer is locked
//!   elsewhere leaves the group before deciding anything. When groups of this process were
//!   committing then (one of them holds the lock), it waits for them to end, holding nothing,
//!   and tries once more in the next group, with the other returns that waited (a burst's
//!   stragglers of one customer are decided together, not one after the other); otherwise, or
//!   skipped again (another process holds the lock), it is decided alone, waiting as a return
//!   alone does while holding nothing. The chain's advisory lock is taken last, just before the
//!   commit.
//! - **Answered when durable.** Every member waits for the group's commit; a failed commit is a
//!   store error (500) for all of them, and nothing of the group was written. Refusals wait too,
//!   since they may rest on an earlier member's write.
//! - **Nothing left hanging.** A group is ended (written and committed, or rolled back, and its
//!   outcome sent) by a task of its own, not by a member's request: a request dropped mid-turn
//!   (its client gone) only gives up its own return.
//! - **Once per session.** A replay in the same group finds the earlier member's answer in its
//!   view (`ReturnWrite::apply_to_view` puts it there, as the refund row would); in another
//!   process, the customer's lock orders them, and refunds stay UNIQUE per session.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex as StdMutex, PoisonError};

use desk::store::{Decide, Decision, ReturnView, ReturnWrite};
use desk_service::limit::LedgerEntry;
use desk::{DeskError, StoreError};
use sqlx::{PgConnection, PgPool, Postgres, Row, Transaction};
use tokio::sync::{watch, Mutex, Notify};

use super::RESERVATION_SELECT;
use crate::rows::db;

/// Returns one group decides at most; later ones start the next group.
const MAX_MEMBERS: usize = 64;

/// The group now open for new returns in this process, if any.
#[derive(Default)]
pub(crate) struct Batches {
    open: StdMutex<Option<Arc<Batch>>>,
    /// Groups closed to new members whose transaction has not ended yet.
    ending: StdMutex<Vec<Arc<Batch>>>,
    /// The key the groups' audit entries are linked under (the store's).
    key: desk::audit_chain::ChainKey,
}

impl Batches {
    /// No group yet; their audit entries will be linked under `key`.
    pub(crate) fn with_key(key: desk::audit_chain::ChainKey) -> Self {
        Self { key, ..Self::default() }
    }
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
    views: HashMap<String, Option<ReturnView>>,
    /// How many of the group's sessions have been read (or tried).
    read: usize,
    /// The writes of the returns decided to write, in order: written, and their audit entries
    /// linked, when the group ends (one statement each, however many members wrote).
    writes: Vec<ReturnWrite>,
    /// The key the audit entries are linked under (the store's).
    key: desk::audit_chain::ChainKey,
}

struct State {
    joined: usize,
    /// The members' sessions, in the order they joined (the opener's first).
    sessions: Vec<String>,
    /// Members that joined and have not finished their turn.
    pending: usize,
    closed: bool,
}

impl Batches {
    /// Joins the open group, or opens one (and spawns the task that ends it).
    fn join(self: &Arc<Self>, session_id: &str) -> Arc<Batch> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(batch) = open.as_ref() {
            let mut state = batch.state.lock().unwrap_or_else(PoisonError::into_inner);
            if !state.closed && state.joined < MAX_MEMBERS {
                state.joined += 1;
                state.pending += 1;
                state.sessions.push(session_id.to_owned());
                return batch.clone();
            }
        }
        let (outcome, _) = watch::channel(None);
        let batch = Arc::new(Batch {
            work: Arc::new(Mutex::new(Work { key: self.key.clone(), ..Work::default() })),
            state: StdMutex::new(State { joined: 1, sessions: vec![session_id.to_owned()], pending: 1, closed: false }),
            decided: Notify::new(),
            outcome,
        });
        *open = Some(batch.clone());
        tokio::spawn(end(self.clone(), batch.clone()));
        batch
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
        self.ending.lock().unwrap_or_else(PoisonError::into_inner).push(batch.clone());
        true
    }

    /// `batch`'s transaction has ended (its outcome is sent).
    fn ended(&self, batch: &Arc<Batch>) {
        self.ending.lock().unwrap_or_else(PoisonError::into_inner).retain(|b| !Arc::ptr_eq(b, batch));
    }

    /// Waits until the groups other than `mine` that are ending now have ended; false when there
    /// were none.
    async fn wait_for_ending(&self, mine: &Batch) -> bool {
        let ending: Vec<Arc<Batch>> =
            self.ending.lock().unwrap_or_else(PoisonError::into_inner).iter().filter(|b| !std::ptr::eq(Arc::as_ptr(b), mine)).cloned().collect();
        let waited = !ending.is_empty();
        for batch in ending {
            let _ = batch.outcome().await;
        }
        waited
    }
}

/// Ends a group once every member has had its turn: its writes, audit and commit (`finish`),
/// then the outcome its members wait for. A task of its own, so that no member's request being
/// dropped (its client gone) can leave the others waiting, or the group's locks held.
async fn end(batches: Arc<Batches>, batch: Arc<Batch>) {
    loop {
        if batches.close_if_decided(&batch) {
            break;
        }
        batch.decided.notified().await;
    }
    // In a task of its own too, so that even a panic in it sends an outcome (an error): the
    // members are answered, and the transaction (dropped with the task) rolls back.
    let work = batch.work.clone();
    let outcome = tokio::spawn(async move { finish(&mut *work.lock().await).await })
        .await
        .unwrap_or_else(|e| Err(format!("ending the group failed: {e}")));
    batch.outcome.send_replace(Some(outcome));
    batches.ended(&batch);
}

/// A member's turn until it ends, however it ends (done, or its request dropped mid-turn).
struct Turn<'a>(&'a Batch);

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.0.state.lock().unwrap_or_else(PoisonError::into_inner).pending -= 1;
        self.0.decided.notify_one();
    }
}

impl Batch {
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

/// A return in a group. `Ok(result)` when it was decided in a group (answer once the group
/// committed), `Err(decide)` when it was not and must be decided alone.
pub(crate) async fn in_group<T, D: Decide<ReturnView, ReturnWrite, T>>(
    pool: &PgPool,
    batches: &Arc<Batches>,
    session_id: &str,
    decide: D,
) -> Result<Result<T, DeskError>, D> {
    let (decide, mine) = match in_one_group(pool, batches, session_id, decide).await {
        Ok(decided) => return Ok(decided),
        Err(skipped) => skipped,
    };
    // Its customer is locked elsewhere: when that may be a group of this process that is
    // committing, the next group decides it once that group has ended.
    if !batches.wait_for_ending(&mine).await {
        return Err(decide);
    }
    in_one_group(pool, batches, session_id, decide).await.map_err(|(decide, _)| decide)
}

/// A return's turn in the open group (or one it opens): `Err` with the group when it was not
/// decided there.
async fn in_one_group<T, D: Decide<ReturnView, ReturnWrite, T>>(
    pool: &PgPool,
    batches: &Arc<Batches>,
    session_id: &str,
    decide: D,
) -> Result<Result<T, DeskError>, (D, Arc<Batch>)> {
    let batch = batches.join(session_id);
    let mut decide = Some(decide);
    let mine = {
        let _turn = Turn(&batch);
        let mut work = batch.work.lock().await;
        if work.broken {
            None
        } else {
            turn(pool, batches, &batch, &mut work, session_id, &mut decide).await
        }
    };
    match (mine, decide) {
        (Some(mine), _) => Ok(settle(mine, batch.outcome().await)),
        (None, Some(decide)) => Err((decide, batch)),
        (None, None) => Ok(Err(DeskError::Store(StoreError("the return was not decided".to_owned())))),
    }
}

/// One return's turn in the group's transaction: `None` when it was not decided here (its
/// customer is locked elsewhere, there is no such session, or a statement failed before
/// `decide` was called: `decide` is left in place), else what it decided.
async fn turn<T, D: Decide<ReturnView, ReturnWrite, T>>(
    pool: &PgPool,
    batches: &Batches,
    batch: &Batch,
    work: &mut Work,
    session_id: &str,
    decide: &mut Option<D>,
) -> Option<Result<T, DeskError>> {
    match try_turn(pool, batches, batch, work, session_id, decide).await {
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
    batches: &Batches,
    batch: &Batch,
    work: &mut Work,
    session_id: &str,
    decide: &mut Option<D>,
) -> Result<Option<Result<T, DeskError>>, StoreError> {
    if work.tx.is_none() {
        // A group of this process that is committing holds its customers' locks until it ends:
        // read now, this group would skip them and only make its members wait and try again.
        // It begins once they have ended (holding nothing meanwhile), with every return that
        // joined while it waited.
        batches.wait_for_ending(batch).await;
        work.tx = Some(pool.begin().await.map_err(db)?);
    }
    if !work.views.contains_key(session_id) {
        read_members(batch, work).await?;
    }
    let Some(Some(view)) = work.views.get(session_id) else { return Ok(None) };
    let view = view.clone();
    let Some(decide) = decide.take() else { return Ok(None) };
    let (write, answer) = match decide(view) {
        Ok(Decision::Answer(answer)) => return Ok(Some(Ok(answer))),
        Err(refused) => return Ok(Some(Err(refused))),
        Ok(Decision::Write(write, answer)) => (write, answer),
    };
    for view in work.views.values_mut().flatten() {
        write.apply_to_view(view);
    }
    work.writes.push(write);
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
    let mut views: HashMap<String, ReturnView> =
        if here.is_empty() { HashMap::new() } else { read_views(tx, &here, "").await?.into_iter().collect() };
    for session in sessions {
        let mut view = views.remove(&session);
        // The group's writes are not in the rows yet (they are written when it ends): a view
        // read now gets them as the views read before it did.
        if let Some(view) = view.as_mut() {
            for write in &work.writes {
                write.apply_to_view(view);
            }
        }
        work.views.insert(session, view);
    }
    Ok(())
}

/// A customer's ledger as `json_agg` wrote it: `[[date, amount, currency, reservation ID,
/// order ID], …]`, oldest first.
fn ledger_from_json(customer_id: &str, json: &str) -> Result<Vec<LedgerEntry>, StoreError> {
    let rows: Vec<(String, String, String, String, String)> = crate::rows::decode("ledger", json)?;
    rows.into_iter()
        .map(|(date, amount, currency, reservation_id, order_id)| {
            crate::rows::ledger_entry((customer_id.to_owned(), date, amount, currency, reservation_id, order_id))
        })
        .collect()
}

/// The sessions' views (each with its customer's row locked as `suffix` says, or no lock for
/// `""`): the session, the answer already given for it, its reservation and the customer's
/// ledger, in one statement. A session is missing when there is no such session, its reservation
/// is gone, or (`SKIP LOCKED`) its customer is locked elsewhere.
async fn read_views(conn: &mut PgConnection, sessions: &[String], suffix: &str) -> Result<Vec<(String, ReturnView)>, StoreError> {
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
        let session = crate::rows::refund_session(
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
        let completed = completed.map(|json| crate::rows::decode("response", &json)).transpose()?;
        let ledger: Option<String> = row.try_get("s_ledger").map_err(db)?;
        let reservation = crate::rows::ReservationRow::from_row(&row).and_then(|r| r.into_reservation()).map_err(db)?;
        let ledger = match ledger {
            Some(json) => ledger_from_json(&reservation.0.customer_id, &json)?,
            None => Vec::new(),
        };
        let view = ReturnView { completed, session: Some(session), reservation: Some(reservation), ledger };
        views.push((session_id, view));
    }
    Ok(views)
}

/// Ends the group's transaction: when a member wrote, the members' writes (one statement), their
/// audit entries linked under the chain's lock and a commit; a rollback otherwise.
async fn finish(work: &mut Work) -> Result<(), String> {
    let Some(mut tx) = work.tx.take() else { return Ok(()) };
    if work.broken {
        let _ = tx.rollback().await;
        return Err("a statement of the group failed; nothing was written".to_owned());
    }
    if work.writes.is_empty() {
        // Release the customers' locks now rather than when the pool next pings the connection.
        return tx.rollback().await.map_err(|e| e.to_string());
    }
    super::returns::write_returns(&mut tx, &work.key, &work.writes).await.map_err(|e| e.0)?;
    tx.commit().await.map_err(|e| e.to_string())
}
