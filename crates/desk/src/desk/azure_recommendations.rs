//! What to buy, in Azure mode: Microsoft.Consumption's reservation recommendations, read in the
//! customer's tenant on behalf of the signed-in user through the [`Upstream`] port (every
//! subscription the user sees there for itself, the shared ones once; both kinds, each reserved
//! resource type the desk asks), each shown with Azure's own figures and what cannot be shown
//! listed with why (`desk_service::recommendations::of_azure`). Nothing is kept: each call asks
//! Azure again. A demo user cannot ask (there is no one to ask on behalf
//! of), and a customer not read from Azure has no tenant to ask in.
//!
//! [`Upstream`]: crate::upstream::Upstream

use contract::{CustomerRecommendations, LookBackPeriod, ProblemCode};
use desk_service::recommendations::{of_azure, savings_on_the_table};
use quote_engine::Currency;

use super::upstream_moves::{problem, who};
use super::Desk;
use crate::{Call, DeskError, Ids};

impl<S: crate::DeskStore, I: Ids> Desk<S, I> {
    /// `GET /customers/{customerId}/recommendations` in Azure mode over `look_back` (the customer
    /// exists: the caller checked). A legacy recommendation's figures are in the customer's
    /// billing currency, the currency of its priced reservations (USD for a customer with none):
    /// Azure's legacy recommendations name no currency; a modern one names its own. One the desk
    /// cannot show is in the answer's `leftOut`, with why.
    pub(super) async fn recommendations_from_azure(&self, call: &Call, customer_id: &str, look_back: LookBackPeriod) -> Result<CustomerRecommendations, DeskError> {
        self.connected()?;
        let who = who(call)?;
        let status = self.store.source_status(customer_id).await?.ok_or_else(|| {
            problem(ProblemCode::UpstreamRefused, format!("Customer {customer_id} was not read from Azure: refresh it before reading its recommendations."))
        })?;
        let answered = self.upstream.recommendations(who, &status.tenant_id, look_back).await;
        // A refusal is kept on the customer's status as a quote's is; a read that succeeds
        // clears nothing, since reading recommendations says nothing of changing reservations.
        if let Err(refused) = &answered {
            self.note_refusal(customer_id, Some(refused), call.now).await;
        }
        let read = answered.map_err(|e| e.problem("could not read the reservation recommendations"))?;
        let reservations = self.store.reservations_of(customer_id).await?;
        let currency = reservations.iter().find(|(r, _)| r.price_unknown.is_none()).map_or(Currency::USD, |(r, _)| r.unit_price.currency);
        let scopes = self.store.scopes(customer_id).await?;
        // What can be bought of them is the customer's catalog's say (Azure's, kept a while); when
        // it cannot be read, each is shown, none as buyable (the refusal is kept on the
        // customer's status, as `customer_catalog` notes it).
        let catalog = self.customer_catalog(call, customer_id, &super::CatalogQuery::default()).await.ok().map(|c| c.items);
        let found = of_azure(customer_id, &read, catalog.as_deref(), &scopes, currency, call.today());
        let savings_per_year = savings_on_the_table(&found.recommendations, currency)?;
        Ok(CustomerRecommendations { recommendations: found.recommendations, savings_per_year, look_back_period: look_back, left_out: found.left_out })
    }
}
