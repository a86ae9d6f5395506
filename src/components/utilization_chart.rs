use contract::DailyUtilization;
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::format::{format_date, format_percent};
use crate::i18n::*;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 8.0;

/// The SVG polyline points of `days` (percent 0–100) across the plot area.
/// Pixel positions, not money: f64 is fine here.
pub fn chart_points(days: &[DailyUtilization]) -> String {
    let plot_w = WIDTH - LEFT - 8.0;
    let plot_h = HEIGHT - BOTTOM - TOP;
    let step = if days.len() > 1 { plot_w / (days.len() - 1) as f64 } else { 0.0 };
    days.iter()
        .enumerate()
        .map(|(i, day)| {
            let pct = day.utilization_percent.to_f64().unwrap_or(0.0).clamp(0.0, 100.0);
            format!("{:.1},{:.1}", LEFT + step * i as f64, TOP + plot_h * (1.0 - pct / 100.0))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Daily utilization since purchase as a line chart with axes, a title, and a text
/// alternative that gives the period, average, lowest and highest values.
#[component]
pub fn UtilizationChart(days: Vec<DailyUtilization>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    if days.is_empty() {
        return view! { <p class="empty">{t!(i18n, chart_empty)}</p> }.into_any();
    }
    let values: Vec<Decimal> = days.iter().map(|d| d.utilization_percent).collect();
    let avg = values.iter().sum::<Decimal>() / Decimal::from(values.len());
    let min = values.iter().min().copied().unwrap_or_default();
    let max = values.iter().max().copied().unwrap_or_default();
    let (first, last) = (days[0].date, days[days.len() - 1].date);
    let middle = days[days.len() / 2].date;
    let points = chart_points(&days);
    let y = |pct: f64| TOP + (HEIGHT - BOTTOM - TOP) * (1.0 - pct / 100.0);
    let summary = move || {
        t_string!(
            i18n,
            chart_summary,
            from = format_date(first, locale()),
            to = format_date(last, locale()),
            avg = format_percent(avg, locale()),
            min = format_percent(min, locale()),
            max = format_percent(max, locale())
        )
        .to_string()
    };
    view! {
        <figure class="chart">
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-labelledby="utilization-chart-title utilization-chart-desc"
            >
                <title id="utilization-chart-title">{t!(i18n, chart_title)}</title>
                <desc id="utilization-chart-desc">{summary}</desc>
                {[0.0, 50.0, 100.0].map(|pct| view! {
                    <line class="grid" x1=LEFT x2=WIDTH - 8.0 y1=y(pct) y2=y(pct) />
                    <text class="axis" x=LEFT - 6.0 y=y(pct) + 4.0 text-anchor="end">{format!("{pct:.0} %")}</text>
                })}
                <line class="axis-line" x1=LEFT x2=LEFT y1=TOP y2=HEIGHT - BOTTOM />
                <line class="axis-line" x1=LEFT x2=WIDTH - 8.0 y1=HEIGHT - BOTTOM y2=HEIGHT - BOTTOM />
                <text class="axis" x=LEFT y=HEIGHT - 6.0 text-anchor="start">{move || format_date(first, locale())}</text>
                <text class="axis" x=(LEFT + WIDTH - 8.0) / 2.0 y=HEIGHT - 6.0 text-anchor="middle">
                    {move || format_date(middle, locale())}
                </text>
                <text class="axis" x=WIDTH - 8.0 y=HEIGHT - 6.0 text-anchor="end">{move || format_date(last, locale())}</text>
                <polyline class="series" points=points />
            </svg>
            <figcaption>{summary}</figcaption>
        </figure>
    }
    .into_any()
}
