//! Every term the app uses, in plain words.

use crate::ui::state::{use_store, Action};
use yew::prelude::*;

/// (term, anchor id, definition). Kept in alphabetical order.
pub const TERMS: &[(&str, &str, &str)] = &[
    ("At risk", "at-risk", "The part of a contract's value the provider only gets if it meets agreed outcomes. NHS CQUIN schemes held 1.25–2.5 % of contract value at risk; outcome-based contracts put 5–20 % at risk."),
    ("Baseline", "baseline", "In fair shares, what a place was allocated last year: the starting point for moving towards its fair share. When comparing scenarios, the one the others are measured against."),
    ("Capitation", "capitation", "Paying for care by the number of people covered (per head) rather than by each treatment. A capitated budget is one budget for a whole population's care."),
    ("Commissioner", "commissioner", "The body that holds a population's budget and buys care for it: a clinical commissioning group (CCG) until 2022, now an integrated care board (ICB); a council for social care and public health."),
    ("Common shock", "common-shock", "In risk pooling, something that raises every commissioner's costs in the same year, such as a bad winter or a pandemic. Pooling cannot spread it away, so it sets a floor under how steady a pool can be."),
    ("Corridor", "corridor", "In a risk-share agreement, a band of overspend or underspend (for example the first 2 % of the budget) with an agreed split between commissioner and provider."),
    ("Cost variation", "cost-variation", "In risk pooling, how much one person's yearly cost of care varies from the average, as a multiple of the average (its coefficient of variation). The bigger it is, the more a small population's total swings from year to year."),
    ("Distance from target", "distance-from-target", "How far a place's allocation is from its fair share: (allocation − target) ÷ target. Negative means under target (less than its fair share)."),
    ("Efficiency requirement", "efficiency", "A yearly reduction in the money per head, expecting services to deliver the same for less."),
    ("Envelope", "envelope", "The total money to be shared among several places."),
    ("Lead commissioner", "lead-commissioner", "One commissioner holding a contract with a provider on behalf of several, with the cost apportioned between them by population or activity."),
    ("Market forces factor", "market-forces-factor", "An adjustment for unavoidable local cost differences, such as higher wages or rents (about 0.95–1.15)."),
    ("Need index", "need-index", "An adjustment for a population's extra need for care, from deprivation and health inequalities (about 0.85–1.25)."),
    ("Outturn", "outturn", "What was actually spent in the year, compared with the budget."),
    ("Pace of change", "pace-of-change", "The rules that move places towards their fair share over several years: every place gets at least a minimum rise, places under target get more, and places over target get less."),
    ("Percentile", "percentile", "The value a given share of results fall below: in 19 simulated years out of 20 the overspend is below its 95th percentile, so the 95th percentile is a bad year that comes about 1 year in 20."),
    ("Pooled budget", "pooled-budget", "NHS and council money put into one pot and spent together (for example under a section 75 agreement or the Better Care Fund), showing who put in what."),
    ("Pooling (risk pooling)", "pooling", "Commissioners sharing the risk of unexpected costs with neighbours: a larger combined population makes a bad year for one less likely to break its budget."),
    ("Risk share", "risk-share", "An agreement on who pays for an overspend, and who keeps an underspend, between a commissioner and a provider."),
    ("Service line", "service-line", "A part of the budget for one kind of care: acute hospital care, community services, mental health, primary care, prescribing, continuing care and so on."),
    ("Simulated years", "simulated-years", "Risk pooling's figures come from drawing many possible years at random (trials) and counting how often each budget overspends: the more years, the narrower the 95 % interval around each figure."),
    ("Target allocation", "target", "A place's fair share of the envelope, in proportion to its weighted population."),
    ("Tornado chart", "tornado", "A chart of which inputs move a figure most: each input is lowered and raised by the same share of its value, one at a time, and the widest bars, at the top, are the inputs the figure depends on most."),
    ("Uplift", "uplift", "The yearly rise in funding per head."),
    ("Weighted population", "weighted-population", "The number of people a place has, adjusted for how much care they are likely to need: older people count for more, and need and local costs adjust the total. Budgets are shared out by weighted population."),
];

#[component]
pub fn Glossary() -> Html {
    let store = use_store();
    let close = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::ToggleGlossary))
    };
    html! {
        <section id="glossary" class="glossary" aria-labelledby="glossary-heading">
            <div class="glossary-head">
                <h2 id="glossary-heading">{ "Glossary" }</h2>
                <button type="button" class="button-secondary" onclick={close}>{ "Close glossary" }</button>
            </div>
            <dl>
                { for TERMS.iter().map(|(term, id, text)| html! {
                    <div class="term" id={format!("term-{id}")}>
                        <dt>{ *term }</dt>
                        <dd>{ *text }</dd>
                    </div>
                }) }
            </dl>
        </section>
    }
}
