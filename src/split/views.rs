//! The routed pages and panels past the customer list, each a split point ([`super`]): the
//! router (`app.rs`) is their only caller, so the split points the first screen calls do not
//! depend on any page.

use leptos::prelude::*;

use super::{Loaded, ViewLoading};
use crate::pages::{
    access::AccessPage, alerts::AlertsPage, approvals::ApprovalsPage, audit::AuditPage, customer::CustomerPage, readiness::ReadinessPage,
    reservation::ReservationPage, sign_in::SignInPage, support_request::SupportRequestPage, worklist::WorklistPage,
};
use crate::panels::{
    access_control::AccessControlPanel, configuration::ConfigurationPanel, exchange::ExchangePanel, history::HistoryPanel,
    overview::OverviewPanel, properties::PropertiesPanel, refund::RefundPanel, split_merge::SplitMergePanel,
    support::SupportPanel,
};

/// `split_views! { module: name => view, … }`: per name, a [`LoadView`](super::LoadView) whose split point (in
/// `points`) answers the view as [`Loaded`].
macro_rules! split_views {
    ($($(#[$doc:meta])* $module:ident: $name:ident => $view:expr;)*) => {
        /// The split points behind the [`LoadView`](super::LoadView)s below.
        mod points {
            use super::*;
            split_points! {$(
                $module: pub fn $name() -> Loaded {
                    Ok($view.into_any())
                }
            )*}
        }
        $(
            $(#[$doc])*
            pub fn $name() -> ViewLoading {
                Box::pin(points::$name())
            }
        )*
    };
}

split_views! {
    /// The sign-in page (demo users or OpenID Connect).
    sign_in: sign_in_page => view! { <SignInPage /> };
    /// A customer's page: reservations, support requests, portfolio.
    customer: customer_page => view! { <CustomerPage /> };
    /// One support request and, in Azure mode, its Microsoft support ticket (with the customer's
    /// page: its Support requests tab lists them).
    customer: support_request_page => view! { <SupportRequestPage /> };
    /// The audit log.
    audit: audit_page => view! { <AuditPage /> };
    /// Access: grants of customers to security groups (with the audit log: both are the
    /// Global admin's partner-wide pages).
    audit: access_page => view! { <AccessPage /> };
    /// Alerts: what the desk watches per customer (read with the audit log's module: both are
    /// partner-wide lists).
    audit: alerts_page => view! { <AlertsPage /> };
    /// Approvals: refunds and exchanges waiting for a second person (partner-wide, as the
    /// audit log).
    audit: approvals_page => view! { <ApprovalsPage /> };
    /// Readiness: every tenant's readiness for Azure mode with what fixes it (partner-wide, as
    /// the audit log).
    audit: readiness_page => view! { <ReadinessPage /> };
    /// The worklist: what needs doing across every customer (a module of its own: the largest
    /// partner-wide page, with its filters, forms and CSV).
    worklist: worklist_page => view! { <WorklistPage /> };
    /// A reservation's page around its panels.
    reservation: reservation_page => view! { <ReservationPage /> };
    /// The reservation's Overview panel.
    reservation: overview_panel => view! { <OverviewPanel /> };
    /// The Access control panel.
    reservation: access_control_panel => view! { <AccessControlPanel /> };
    /// The Properties panel.
    reservation: properties_panel => view! { <PropertiesPanel /> };
    /// The Configuration panel.
    reservation: configuration_panel => view! { <ConfigurationPanel /> };
    /// The New support request panel.
    reservation: support_panel => view! { <SupportPanel /> };
    /// The History panel.
    reservation: history_panel => view! { <HistoryPanel /> };
    /// The Refund panel.
    money: refund_panel => view! { <RefundPanel /> };
    /// The Exchange panel.
    money: exchange_panel => view! { <ExchangePanel /> };
    /// The Split or merge panel.
    money: split_merge_panel => view! { <SplitMergePanel /> };
}

