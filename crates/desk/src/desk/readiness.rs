//! `GET /source/readiness`: every customer's readiness for Azure mode, one row each, from what
//! the store keeps of the last reads (`crate::source::SourceStore`); the state, the class of a
//! failure and its remedy are decided in the service layer (`desk_service::readiness`), with the
//! partner's GDAP relationships as the last read of Graph listed them (`crate::gdap`), as of the
//! call's day.

use std::collections::HashMap;

use contract::source::CustomerReadiness;
use contract::DataSource;
use desk_service::readiness;

use super::{Acting, Desk};
use crate::{DeskError, DeskStore, Ids};

impl<S: DeskStore, I: Ids> Desk<S, I> {
    /// One row per customer `acting` sees, by name (a customer it may not see is left out, as
    /// from the customer list). A desk that does not read Azure has no readiness to tell: 404.
    pub async fn readiness(&self, acting: &Acting) -> Result<Vec<CustomerReadiness>, DeskError> {
        if self.settings.source != DataSource::Azure {
            return Err(DeskError::not_found(crate::source::NOT_READING_AZURE));
        }
        self.readiness_rows(acting).await
    }

    /// The readiness rows of the customers `acting` sees, by name: what the readiness table and
    /// a consent run for every tenant that needs one (`consents.rs`) are decided on.
    pub(super) async fn readiness_rows(&self, acting: &Acting) -> Result<Vec<CustomerReadiness>, DeskError> {
        let customers = self.visible_customers(acting).await?;
        self.readiness_of(&customers, acting.call.today()).await
    }

    /// The readiness rows of `customers` as of `today`, in their order.
    pub(super) async fn readiness_of(&self, customers: &[contract::Customer], today: chrono::NaiveDate) -> Result<Vec<CustomerReadiness>, DeskError> {
        let statuses: HashMap<String, contract::source::SourceStatus> =
            self.store.source_statuses().await?.into_iter().map(|s| (s.customer_id.clone(), s)).collect();
        let unpriced: HashMap<String, usize> = self.store.unpriced_counts().await?.into_iter().collect();
        let gdap: HashMap<String, contract::gdap::GdapStatus> =
            crate::gdap::GdapStore::gdap_statuses(&self.store).await?.into_iter().map(|g| (g.customer_id.clone(), g)).collect();
        Ok(customers
            .iter()
            .map(|c| readiness::row(c, statuses.get(&c.id), unpriced.get(&c.id).copied().unwrap_or_default(), gdap.get(&c.id), today))
            .collect())
    }
}
