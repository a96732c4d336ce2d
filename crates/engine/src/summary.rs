//! The plain-language summary the public sees first: a headline and a few short points,
//! each sentence built from the results' own figures, with the working behind it.
//!
//! Points, in order, each with a stable `id` the app can style or link to:
//!
//! | id | when | says |
//! | --- | --- | --- |
//! | `illustrative` | the scenario is illustrative | "These figures are illustrative." |
//! | `per_person` | always | the first year's budget, people, and money per person; the largest service line |
//! | `change` | more than one year | money per person in the last year, and why the total budget changed: the changing population, the funding uplift and the efficiency requirement, each summed over every place and year from the budget's decomposition (`budget::BudgetChange`), so the three add up to the change exactly, to the penny |
//! | `outcomes` | an outcome contract | how much of the contract depends on quality goals, how many were met, what was earned |
//! | `overspend` | a risk share | the overspend (or underspend) and who bears (or keeps) how much, with a binding cap or an unmet minimum rate (the threshold in pounds and how far short the variance is; within 1 % of it, that even 1p short shares nothing) |
//! | `fair_shares` | fair shares | the place furthest from its target at the start (year 1's distance *before* the allocation: last year's allocation against this year's target) and where it stands after the last year's allocation (distance *after*, the convergence measure) |
//! | `pooled` | a pooled budget | the pot and who put in what |
//! | `lead` | a lead contract | the lead commissioner, the contract, its own share and the recharge to the others |
//!
//! Rules: money is shown in whole pounds ([`Pence::display_pounds`]; a minimum rate missed by
//! less than £1 is the exception: the shortfall in pence and the threshold to the penny), rates with
//! [`percent`]; amounts are shown as positive numbers with words saying which way they go
//! ("adds", "takes away", "bears", "keeps"), never as a minus sign; each part of the "why"
//! is given in pounds in the sentence and as a share of the change in its working. The
//! summary never panics, whatever results it is handed: a figure it cannot find is left
//! out, not guessed.

use crate::fair_shares::{FairSharesResult, PlaceYear};
use crate::lead_commissioning::{ApportionmentBasis, LeadContractResult};
use crate::money::{self, Pence};
use crate::outcomes::OutcomePayment;
use crate::risk_share::{RiskShareResult, Side, VarianceDirection};
use crate::scenario::{Results, Scenario};
use crate::working::{people, percent, Working};
use serde::{Deserialize, Serialize};

/// The stable ids of the summary's points.
pub mod ids {
    pub const ILLUSTRATIVE: &str = "illustrative";
    pub const PER_PERSON: &str = "per_person";
    pub const CHANGE: &str = "change";
    pub const OUTCOMES: &str = "outcomes";
    pub const OVERSPEND: &str = "overspend";
    pub const FAIR_SHARES: &str = "fair_shares";
    pub const POOLED: &str = "pooled";
    pub const LEAD: &str = "lead";
}

/// What the public reads first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// One sentence: money per person, and where it goes by the last year.
    pub headline: String,
    pub points: Vec<SummaryPoint>,
}

/// One short paragraph of the summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummaryPoint {
    /// Stable: one of [`ids`].
    pub id: String,
    /// One to three plain sentences.
    pub text: String,
    /// How the point's main figure was worked out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working: Option<Working>,
}

impl SummaryPoint {
    fn new(id: &str, text: String, working: Option<Working>) -> Self {
        SummaryPoint {
            id: id.to_string(),
            text,
            working,
        }
    }
}

/// The summary of a scenario's results.
pub fn summarise(scenario: &Scenario, results: &Results) -> Summary {
    let mut points = Vec::new();
    if results.illustrative {
        points.push(SummaryPoint::new(
            ids::ILLUSTRATIVE,
            "These figures are illustrative: made-up or approximate numbers that show how \
             the calculation works, not a real budget."
                .to_string(),
            None,
        ));
    }
    points.extend(per_person_point(results));
    points.extend(change_point(scenario, results));
    if let Some(payment) = &results.outcome_payment {
        points.push(outcomes_point(scenario, payment));
    }
    if let Some(risk) = &results.risk_share {
        points.push(overspend_point(risk));
    }
    if let Some(fs) = &results.fair_shares {
        points.extend(fair_shares_point(results, fs));
    }
    if let Some(pool) = &results.pooled_budget {
        let mut text = format!(
            "The pooled budget \u{201c}{}\u{201d} holds {} of {} money in one pot, to be spent together.",
            pool.name,
            pool.pot.display_pounds(),
            list(pool.by_sector.iter().map(|s| s.sector.label().to_string()))
        );
        if !pool.contributions.is_empty() {
            let parts = pool.contributions.iter().enumerate().map(|(i, c)| {
                let verb = if i == 0 { " puts in " } else { " " };
                format!(
                    "{}{verb}{} ({})",
                    c.organisation,
                    c.amount.display_pounds(),
                    percent(c.share_of_pot, 1)
                )
            });
            text.push_str(&format!(" {}.", list(parts)));
        }
        points.push(SummaryPoint::new(
            ids::POOLED,
            text,
            Some(pool.pot_working.clone()),
        ));
    }
    if let Some(lead) = &results.lead_contract {
        points.push(lead_point(lead));
    }
    Summary {
        headline: headline(results),
        points,
    }
}

/// "Anytown" or "5 places".
fn place_words(results: &Results) -> (String, bool) {
    match results.places.as_slice() {
        [one] => (one.name.clone(), true),
        many => (format!("{} places", many.len()), false),
    }
}

fn headline(results: &Results) -> String {
    let (who, single) = place_words(results);
    let Some(first) = results.totals.first() else {
        return format!("No budget was worked out for {who}.");
    };
    let Some(first_pp) = first.per_person else {
        return format!(
            "The budget for {who} is {} in {}.",
            first.budget.display_pounds(),
            first.year
        );
    };
    let place = if single {
        format!("For {who}")
    } else {
        format!("Across {who}")
    };
    let mut text = format!(
        "{place}, the budget is {} a year for each person in {}",
        first_pp.display_pounds(),
        first.year
    );
    if let Some(last) = results.totals.last().filter(|_| results.totals.len() > 1) {
        if let Some(last_pp) = last.per_person {
            let shown = last_pp.display_pounds();
            if shown == first_pp.display_pounds() {
                text.push_str(&format!(", and the same in {}", last.year));
            } else if last_pp > first_pp {
                text.push_str(&format!(", rising to {shown} by {}", last.year));
            } else {
                text.push_str(&format!(", falling to {shown} by {}", last.year));
            }
        }
    }
    text.push('.');
    text
}

fn per_person_point(results: &Results) -> Option<SummaryPoint> {
    let first = results.totals.first()?;
    let (who, single) = place_words(results);
    let whose = if single {
        format!("the {} people of {who}", people(first.people))
    } else {
        format!("the {} people of the {who}", people(first.people))
    };
    let mut text = match first.per_person {
        Some(pp) => format!(
            "In {} the budget for {whose} is {}, or {} a year for each person.",
            first.year,
            first.budget.display_pounds(),
            pp.display_pounds()
        ),
        None => format!(
            "In {} the budget for {who} is {}.",
            first.year,
            first.budget.display_pounds()
        ),
    };
    if let Some((name, amount, share)) = largest_service_line(results) {
        text.push_str(&format!(
            " The largest part, {} ({}), goes to {name}.",
            amount.display_pounds(),
            percent(share, 1)
        ));
    }
    Some(SummaryPoint::new(
        ids::PER_PERSON,
        text,
        Some(first.working.clone()),
    ))
}

/// The first year's largest service line over all places: (name, amount, share). `None`
/// when there is only one line (it would be the whole budget).
fn largest_service_line(results: &Results) -> Option<(String, Pence, f64)> {
    let lines = &results.places.first()?.budget.years.first()?.service_lines;
    if lines.len() < 2 {
        return None;
    }
    let mut best: Option<(String, Pence, f64)> = None;
    for (i, line) in lines.iter().enumerate() {
        let amount = money::sum(results.places.iter().filter_map(|p| {
            p.budget
                .years
                .first()
                .and_then(|y| y.service_lines.get(i))
                .map(|l| l.amount)
        }))
        .ok()?;
        if best.as_ref().is_none_or(|(_, a, _)| amount > *a) {
            best = Some((line.name.clone(), amount, line.share));
        }
    }
    best
}

/// The total budget's change from the first year to the last, by cause, summed over every
/// place and year: (population, uplift, efficiency).
fn change_by_cause(results: &Results) -> Option<(Pence, Pence, Pence)> {
    let changes = || {
        results
            .places
            .iter()
            .flat_map(|p| p.budget.years.iter())
            .filter_map(|y| y.change.as_ref())
    };
    Some((
        money::sum(changes().map(|c| c.demographic)).ok()?,
        money::sum(changes().map(|c| c.uplift)).ok()?,
        money::sum(changes().map(|c| c.efficiency)).ok()?,
    ))
}

fn change_point(scenario: &Scenario, results: &Results) -> Option<SummaryPoint> {
    if results.totals.len() < 2 {
        return None;
    }
    let first = results.totals.first()?;
    let last = results.totals.last()?;
    let mut sentences = Vec::new();
    if let (Some(a), Some(b)) = (first.per_person, last.per_person) {
        let change = if a.pence() != 0 {
            (b.pence() as f64 - a.pence() as f64) / a.pence() as f64
        } else {
            0.0
        };
        let shown = percent(change.abs(), 1);
        let compared = if shown == percent(0.0, 1) {
            format!("about the same as in {}", first.year)
        } else if change > 0.0 {
            format!("{shown} more than in {}", first.year)
        } else {
            format!("{shown} less than in {}", first.year)
        };
        sentences.push(format!(
            "By {} the budget is {} a year for each person, {compared}.",
            last.year,
            b.display_pounds()
        ));
    }
    let total_change = last.budget.checked_sub(first.budget).ok()?;
    let mut working = Working::new(
        format!("Why the budget changes, {} to {}", first.year, last.year),
        signed_pounds(total_change),
        "change in the total budget = changing population + funding uplift + efficiency \
         requirement, each added up over every place and year (each year's change is split in \
         that order, so the three parts add up to the change exactly)",
    )
    .input(
        format!("Total budget, {}", first.year),
        first.budget.display_pounds(),
    )
    .input(
        format!("Total budget, {}", last.year),
        last.budget.display_pounds(),
    );
    if let Some((population, uplift, efficiency)) = change_by_cause(results) {
        let years = results.totals.len() - 1;
        let movement = match total_change.pence() {
            0 => "stays the same".to_string(),
            c if c > 0 => format!("rises by {}", magnitude(total_change).display_pounds()),
            _ => format!("falls by {}", magnitude(total_change).display_pounds()),
        };
        let mut causes = vec![format!(
            "the changing population (its size and its age: older people need more care) {}",
            effect(population)
        )];
        let budget = &scenario.budget;
        if budget.uplift != 0.0 || uplift != Pence::ZERO {
            causes.push(format!(
                "the yearly funding uplift of {} {}",
                rate(budget.uplift),
                effect(uplift)
            ));
        }
        if budget.efficiency != 0.0 || efficiency != Pence::ZERO {
            causes.push(format!(
                "the efficiency saving required each year ({}) {}",
                rate(budget.efficiency),
                effect(efficiency)
            ));
        }
        sentences.push(format!(
            "Over the {years} {} to {} the total budget {movement}, to {}: {}.",
            if years == 1 { "year" } else { "years" },
            last.year,
            last.budget.display_pounds(),
            causes.join("; ")
        ));
        for (name, part) in [
            ("Changing population", population),
            ("Funding uplift", uplift),
            ("Efficiency requirement", efficiency),
        ] {
            working = working.input(name, signed_pounds(part));
            if total_change != Pence::ZERO {
                let share = part.pence() as f64 / total_change.pence() as f64;
                working = working.input(format!("{name}, share of the change"), percent(share, 1));
            }
        }
    }
    if sentences.is_empty() {
        return None;
    }
    Some(SummaryPoint::new(
        ids::CHANGE,
        sentences.join(" "),
        Some(working),
    ))
}

fn outcomes_point(scenario: &Scenario, payment: &OutcomePayment) -> SummaryPoint {
    let goals = payment.metrics.len();
    let mut text = match &scenario.outcome_contract {
        Some(contract) => format!(
            "Of the {} contract with {}, {} ({}) is paid only if it meets {goals} {} for the \
             quality of care.",
            contract.contract_value.display_pounds(),
            payment.provider,
            payment.at_risk.display_pounds(),
            rate(contract.share_at_risk),
            plural(goals, "goal", "goals")
        ),
        None => format!(
            "{} of the contract with {} is paid only if it meets {goals} {} for the quality of care.",
            payment.at_risk.display_pounds(),
            payment.provider,
            plural(goals, "goal", "goals")
        ),
    };
    let full = payment
        .metrics
        .iter()
        .filter(|m| m.earned_share >= 1.0)
        .count();
    let missed = payment
        .metrics
        .iter()
        .filter(|m| m.earned_share <= 0.0)
        .count();
    let partly = goals.saturating_sub(full + missed);
    let mut counts = Vec::new();
    for (n, what) in [
        (full, "met in full"),
        (partly, "met in part"),
        (missed, "missed"),
    ] {
        if n > 0 {
            counts.push(format!("{n} {} {what}", plural(n, "was", "were")));
        }
    }
    if goals > 0 {
        let earned = if payment.total_forgone == Pence::ZERO {
            format!("so it earned all {}", payment.total_earned.display_pounds())
        } else {
            format!(
                "so it earned {} and the other {} was not paid",
                payment.total_earned.display_pounds(),
                payment.total_forgone.display_pounds()
            )
        };
        text.push_str(&format!(" {}, {earned}.", list(counts.into_iter())));
    }
    if let Some(bonus) = &payment.bonus {
        let largest =
            bonus
                .members
                .iter()
                .fold(
                    None::<&crate::outcomes::BonusMemberShare>,
                    |best, m| match best {
                        Some(b) if b.share >= m.share => Some(b),
                        _ => Some(m),
                    },
                );
        text.push_str(&format!(
            " A bonus of {} is shared in proportion to {}",
            bonus.amount.display_pounds(),
            bonus.basis_name
        ));
        match largest {
            Some(m) => text.push_str(&format!(
                ": the largest share, {}, goes to {}.",
                m.share.display_pounds(),
                m.name
            )),
            None => text.push('.'),
        }
    }
    SummaryPoint::new(
        ids::OUTCOMES,
        text,
        Some(payment.total_earned_working.clone()),
    )
}

fn overspend_point(risk: &RiskShareResult) -> SummaryPoint {
    let provider = magnitude(risk.provider_total).display_pounds();
    let commissioner = magnitude(risk.commissioner_total).display_pounds();
    let variance = magnitude(risk.variance).display_pounds();
    let share = percent(risk.variance_rate.abs(), 1);
    let (what, bears, all) = match risk.direction {
        VarianceDirection::OnBudget => {
            return SummaryPoint::new(
                ids::OVERSPEND,
                format!(
                    "Spending came to exactly the budget of {}, so there is no overspend or \
                     underspend to share between the provider and the commissioner.",
                    risk.budget.display_pounds()
                ),
                Some(risk.variance_working.clone()),
            );
        }
        VarianceDirection::Overspend => ("overspend", "bears", "bears all of it"),
        VarianceDirection::Underspend => ("underspend", "keeps", "keeps all of it"),
    };
    let mut text = format!(
        "Spending came to {} against a budget of {}: an {what} of {variance} ({share}). \
         Of the {variance} {what}, the provider (who delivers the care) {bears} {provider} and \
         the commissioner (who pays for it) {commissioner}.",
        risk.outturn.display_pounds(),
        risk.budget.display_pounds()
    );
    if let Some(test) = risk.minimum_rate.as_ref().filter(|t| !t.met) {
        // The threshold is the least whole-penny variance that meets the rate, so the
        // shortfall is at least 1p; under £1 it is shown to the penny, and so is the threshold.
        let short = test.threshold.checked_sub(magnitude(risk.variance));
        let (threshold, by) = match short {
            Ok(p) if p.pence() < 100 => (test.threshold.display(), format!("{}p", p.pence())),
            Ok(p) => (test.threshold.display_pounds(), p.display_pounds()),
            Err(_) => (test.threshold.display_pounds(), "more".to_string()),
        };
        text.push_str(&format!(
            " The {what} is below the {} of budget ({threshold}) the agreement sets before \
             anything is shared, short of it by {by}, so the commissioner {all}.",
            rate(test.rate)
        ));
        // Within 1 % of the threshold: say plainly that nearly is not enough.
        if short.is_ok_and(|p| p.pence() as i128 * 100 <= test.threshold.pence() as i128) {
            text.push_str(&format!(
                " The minimum must be met in full: an {what} even 1p short of it is not shared."
            ));
        }
    }
    for cap in risk.caps.iter().filter(|c| c.binding) {
        let (side, other) = match cap.side {
            Side::Provider => ("provider", "commissioner"),
            Side::Commissioner => ("commissioner", "provider"),
        };
        text.push_str(&format!(
            " The {side}'s part is capped at {}, so the {other} {bears} the rest.",
            cap.cap.display_pounds()
        ));
    }
    SummaryPoint::new(ids::OVERSPEND, text, Some(risk.provider_working.clone()))
}

fn fair_shares_point(results: &Results, fs: &FairSharesResult) -> Option<SummaryPoint> {
    let first = fs.years.first()?;
    let last = fs.years.last()?;
    // Furthest at the start; among equals, the place listed first.
    let start = first
        .places
        .iter()
        .fold(None::<&PlaceYear>, |best, p| match best {
            Some(b) if b.distance_before.abs() >= p.distance_before.abs() => Some(b),
            _ => Some(p),
        })?;
    let end = last.places.iter().find(|p| p.place == start.place)?;
    let first_label = results.years.first().cloned().unwrap_or_default();
    let last_label = results
        .years
        .get(fs.years.len().saturating_sub(1))
        .cloned()
        .unwrap_or_default();
    let text = format!(
        "Each place's target is its fair share of the {} shared out in {first_label}, based on \
         how many people live there and how much care they are likely to need. {} starts \
         furthest from its fair share: {}. After the {last_label} allocation it is {}.",
        first.envelope.display_pounds(),
        start.place,
        position(start.distance_before),
        position(end.distance_after)
    );
    Some(SummaryPoint::new(
        ids::FAIR_SHARES,
        text,
        Some(end.distance_after_working.clone()),
    ))
}

/// "8.9 % below its target", "at its target".
fn position(distance: f64) -> String {
    let shown = percent(distance.abs(), 1);
    if !distance.is_finite() || shown == percent(0.0, 1) {
        "at its target".to_string()
    } else if distance < 0.0 {
        format!("{shown} below its target")
    } else {
        format!("{shown} above its target")
    }
}

fn lead_point(lead: &LeadContractResult) -> SummaryPoint {
    let how = match lead.basis {
        ApportionmentBasis::Population => "by population (how many people each one covers)",
        ApportionmentBasis::Activity => {
            "by activity (how much each one's patients use the service)"
        }
    };
    let others = lead.shares.len().saturating_sub(1);
    let mut text = format!(
        "{} holds the {} contract with {} for all {} commissioners, and shares the cost {how}.",
        lead.lead,
        lead.value.display_pounds(),
        lead.provider,
        lead.shares.len()
    );
    if let Some(own) = lead.shares.iter().find(|s| s.is_lead) {
        text.push_str(&format!(
            " Its own share is {}; it recharges {} to the other {others}.",
            own.share.display_pounds(),
            lead.recharged_to_others.display_pounds()
        ));
    }
    SummaryPoint::new(ids::LEAD, text, Some(lead.recharge_working.clone()))
}

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

fn magnitude(p: Pence) -> Pence {
    p.abs().unwrap_or(Pence(i64::MAX))
}

/// "adds £1,234", "takes away £1,234", "changes nothing".
fn effect(amount: Pence) -> String {
    match amount.pence() {
        0 => "changes nothing".to_string(),
        p if p > 0 => format!("adds {}", amount.display_pounds()),
        _ => format!("takes away {}", magnitude(amount).display_pounds()),
    }
}

/// A change for a working: "+£1,234" or "−£1,234".
fn signed_pounds(amount: Pence) -> String {
    if amount.pence() > 0 {
        format!("+{}", amount.display_pounds())
    } else {
        amount.display_pounds()
    }
}

/// A policy rate with as many decimals as it was written with, up to two: 3 % → "3.0 %",
/// 1.25 % → "1.25 %".
fn rate(r: f64) -> String {
    let tenths = r * 1000.0;
    if (tenths - tenths.round()).abs() < 1e-6 {
        percent(r, 1)
    } else {
        percent(r, 2)
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// "a", "a and b", "a, b and c".
fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;
    use crate::risk_share::MinimumRate;
    use proptest::prelude::*;

    /// A scenario changed in code, through the door and computed.
    fn compute(s: &Scenario) -> Result<Results, crate::scenario::CalcError> {
        crate::scenario::ValidScenario::new(s.clone())
            .expect("the changed scenario is valid")
            .compute()
    }

    fn summary_of(name: &str) -> (crate::scenario::ValidScenario, Results, Summary) {
        let scenario = examples::find(name).unwrap().scenario().unwrap();
        let results = scenario.compute().unwrap();
        let summary = summarise(&scenario, &results);
        (scenario, results, summary)
    }

    fn point<'a>(summary: &'a Summary, id: &str) -> &'a str {
        &summary
            .points
            .iter()
            .find(|p| p.id == id)
            .unwrap_or_else(|| panic!("no {id} point"))
            .text
    }

    fn ids_of(summary: &Summary) -> Vec<&str> {
        summary.points.iter().map(|p| p.id.as_str()).collect()
    }

    /// Sentences a person can read: no NaN or infinity, nothing empty, every point ends a
    /// sentence, no doubled spaces or stray punctuation.
    fn assert_readable(summary: &Summary) {
        let texts =
            std::iter::once(&summary.headline).chain(summary.points.iter().map(|p| &p.text));
        for text in texts {
            assert!(!text.trim().is_empty(), "empty text");
            assert!(text.ends_with('.'), "{text}");
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                assert!(
                    !["NaN", "inf", "infinity", "Infinity"].contains(&word),
                    "{text}"
                );
            }
            for bad in ["  ", " .", "..", ",.", ":.", " ,", "()", "£,", "−£"] {
                assert!(!text.contains(bad), "{bad:?} in {text}");
            }
            let sentences: Vec<&str> = text.split(". ").collect();
            assert!(sentences.iter().all(|s| s.trim().len() > 3), "{text}");
        }
        let mut ids = ids_of(summary);
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "each point once");
    }

    #[test]
    fn every_built_in_has_its_points() {
        let expected: &[(&str, &[&str])] = &[
            (
                "anytown",
                &[
                    "illustrative",
                    "per_person",
                    "change",
                    "outcomes",
                    "overspend",
                ],
            ),
            (
                "healthier-together",
                &[
                    "illustrative",
                    "per_person",
                    "change",
                    "fair_shares",
                    "lead",
                ],
            ),
            (
                "isle-of-wight",
                &["illustrative", "per_person", "change", "pooled"],
            ),
            (
                "cquin",
                &[
                    "illustrative",
                    "per_person",
                    "change",
                    "outcomes",
                    "overspend",
                ],
            ),
        ];
        assert_eq!(expected.len(), examples::ALL.len());
        for (name, ids) in expected {
            let (_, _, summary) = summary_of(name);
            assert_eq!(ids_of(&summary), *ids, "{name}");
            assert_readable(&summary);
            assert!(point(&summary, "illustrative").starts_with("These figures are illustrative"));
            for p in &summary.points {
                assert_eq!(
                    p.working.is_some(),
                    p.id != "illustrative",
                    "{name} {}",
                    p.id
                );
            }
            println!("{name}: {}", summary.headline);
            for p in &summary.points {
                println!("  [{}] {}", p.id, p.text);
            }
        }
    }

    #[test]
    fn money_per_person_and_its_change_are_the_results_figures() {
        for example in examples::ALL {
            let (scenario, results, summary) = summary_of(example.name);
            let first = results.totals.first().unwrap();
            let last = results.totals.last().unwrap();
            let first_pp = first.per_person.unwrap().display_pounds();
            let last_pp = last.per_person.unwrap().display_pounds();
            assert!(summary.headline.contains(&first_pp), "{}", summary.headline);
            assert!(summary.headline.contains(&last_pp), "{}", summary.headline);
            let text = point(&summary, "per_person");
            for figure in [
                first.budget.display_pounds(),
                first_pp.clone(),
                people(first.people),
                first.year.clone(),
            ] {
                assert!(text.contains(&figure), "{figure} not in {text}");
            }

            // The why: the three causes, summed from every place's yearly decomposition,
            // add up to the change in the total budget exactly.
            let text = point(&summary, "change");
            assert!(text.contains(&last_pp), "{text}");
            let (population, uplift, efficiency) = change_by_cause(&results).unwrap();
            let total = last.budget.checked_sub(first.budget).unwrap();
            assert_eq!(
                money::sum([population, uplift, efficiency]),
                Ok(total),
                "{}",
                example.name
            );
            for part in [total, population, uplift, efficiency] {
                if part == Pence::ZERO {
                    continue; // a cause that changes nothing is left out
                }
                let shown = magnitude(part).display_pounds();
                assert!(text.contains(&shown), "{shown} not in {text}");
            }
            let change = (last.per_person.unwrap().pence() as f64
                / first.per_person.unwrap().pence() as f64)
                - 1.0;
            assert!(text.contains(&percent(change.abs(), 1)), "{text}");
            assert!(text.contains(&rate(scenario.budget.uplift)), "{text}");
        }
    }

    #[test]
    fn anytown_reads_as_a_member_of_the_public_would_expect() {
        let (_, results, summary) = summary_of("anytown");
        assert_eq!(
            summary.headline,
            "For Anytown, the budget is £1,732 a year for each person in 2025/26, rising to \
             £1,905 by 2029/30."
        );
        assert!(point(&summary, "per_person").contains(
            "the budget for the 100,000 people of Anytown is £173,189,608, or £1,732 a year \
             for each person."
        ));
        assert!(point(&summary, "change").contains("10.0 % more than in 2025/26"));
        assert!(point(&summary, "change")
            .contains("efficiency saving required each year (1.1 %) takes away"));
        // DOMAIN.md's risk share: £80m budget, £82.4m outturn.
        assert!(point(&summary, "overspend").contains(
            "Of the £2,400,000 overspend, the provider (who delivers the care) bears £2,000,000 \
             and the commissioner (who pays for it) £400,000."
        ));
        let pay = results.outcome_payment.as_ref().unwrap();
        let text = point(&summary, "outcomes");
        assert!(
            text.contains(
                "Of the £80,000,000 contract with Anytown Hospitals NHS Trust, £1,000,000 (1.25 %)"
            ),
            "{text}"
        );
        assert!(text.contains("5 goals for the quality of care. 4 were met in full and 1 was missed, so it earned £800,000 and the other £200,000 was not paid."), "{text}");
        assert!(text.contains(&pay.total_earned.display_pounds()));
        assert!(text.contains(&pay.total_forgone.display_pounds()));
    }

    #[test]
    fn optional_sections_speak_in_their_results_figures() {
        let (_, results, summary) = summary_of("cquin");
        let risk = results.risk_share.as_ref().unwrap();
        let text = point(&summary, "overspend");
        for figure in [risk.variance, risk.provider_total, risk.commissioner_total] {
            assert!(text.contains(&figure.display_pounds()), "{text}");
        }
        assert!(
            text.contains(
                "The provider's part is capped at £6,000,000, so the commissioner bears the rest."
            ),
            "{text}"
        );
        let bonus = results
            .outcome_payment
            .as_ref()
            .unwrap()
            .bonus
            .as_ref()
            .unwrap();
        let text = point(&summary, "outcomes");
        assert!(text.contains(&bonus.amount.display_pounds()), "{text}");
        assert!(text.contains("goes to Emergency department"), "{text}");

        let (_, results, summary) = summary_of("isle-of-wight");
        let pool = results.pooled_budget.as_ref().unwrap();
        let text = point(&summary, "pooled");
        assert!(text.contains(&pool.pot.display_pounds()));
        assert!(text.contains("NHS and council money"), "{text}");
        for c in &pool.contributions {
            let shown = format!(
                "{} ({})",
                c.amount.display_pounds(),
                percent(c.share_of_pot, 1)
            );
            assert!(
                text.contains(&c.organisation) && text.contains(&shown),
                "{shown}: {text}"
            );
        }

        let (_, results, summary) = summary_of("healthier-together");
        let lead = results.lead_contract.as_ref().unwrap();
        let own = lead.shares.iter().find(|s| s.is_lead).unwrap();
        let text = point(&summary, "lead");
        for figure in [
            lead.lead.clone(),
            lead.value.display_pounds(),
            own.share.display_pounds(),
            lead.recharged_to_others.display_pounds(),
        ] {
            assert!(text.contains(&figure), "{figure} not in {text}");
        }
        assert!(text.contains("the other 4"), "{text}");
        // Fair shares: Luton starts furthest from target; the figures are its distances.
        let fs = results.fair_shares.as_ref().unwrap();
        let luton_start = fs.years[0]
            .places
            .iter()
            .find(|p| p.place == "Luton CCG")
            .unwrap();
        let luton_end = fs.years[4]
            .places
            .iter()
            .find(|p| p.place == "Luton CCG")
            .unwrap();
        for p in &fs.years[0].places {
            assert!(p.distance_before.abs() <= luton_start.distance_before.abs());
        }
        let text = point(&summary, "fair_shares");
        assert!(
            text.contains("Luton CCG starts furthest from its fair share"),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "{} below its target",
                percent(-luton_start.distance_before, 1)
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "After the 2017/18 allocation it is {} below its target.",
                percent(-luton_end.distance_after, 1)
            )),
            "{text}"
        );
        assert!(
            text.contains(&fs.years[0].envelope.display_pounds()),
            "{text}"
        );
    }

    #[test]
    fn a_scenario_without_optional_sections_has_only_the_core_points() {
        let mut scenario = examples::default_scenario();
        scenario.outcome_contract = None;
        scenario.risk_share = None;
        let results = compute(&scenario).unwrap();
        let summary = summarise(&scenario, &results);
        assert_eq!(ids_of(&summary), ["illustrative", "per_person", "change"]);
        assert_readable(&summary);

        // One year, not illustrative, one service line: the budget and nothing more.
        scenario.illustrative = false;
        scenario.budget.years = 1;
        scenario.budget.service_lines = vec![crate::budget::ServiceLine::new("All services", 1.0)];
        let results = compute(&scenario).unwrap();
        let summary = summarise(&scenario, &results);
        assert_eq!(ids_of(&summary), ["per_person"]);
        assert_eq!(
            summary.headline,
            "For Anytown, the budget is £1,732 a year for each person in 2025/26."
        );
        assert!(!point(&summary, "per_person").contains("largest part"));
        assert_readable(&summary);
    }

    /// A saving that misses the minimum rate, by 1p or by much, says by how
    /// much, and close to it says that nearly is not enough; at equality it is shared.
    #[test]
    fn a_minimum_rate_missed_says_by_how_much() {
        let mut scenario = examples::default_scenario();
        let risk = scenario.risk_share.as_mut().unwrap();
        risk.minimum_rate = Some(MinimumRate::Fixed(0.02)); // £1,600,000 of an £80m budget
        let mut text_at = |saving: i64| {
            let risk = scenario.risk_share.as_mut().unwrap();
            risk.outturn = Pence(8_000_000_000 - saving);
            let results = compute(&scenario).unwrap();
            let summary = summarise(&scenario, &results);
            assert_readable(&summary);
            point(&summary, "overspend").to_string()
        };
        let text = text_at(159_999_999);
        assert!(
            text.contains(
                "below the 2.0 % of budget (£1,600,000.00) the agreement sets before anything \
                 is shared, short of it by 1p, so the commissioner keeps all of it."
            ),
            "{text}"
        );
        assert!(
            text.contains("an underspend even 1p short of it is not shared."),
            "{text}"
        );
        let text = text_at(100_000_000);
        assert!(
            text.contains("(£1,600,000) the agreement sets before anything is shared, short of it by £600,000,"),
            "{text}"
        );
        assert!(!text.contains("even 1p"), "{text}");
        let text = text_at(160_000_000);
        assert!(!text.contains("below the"), "{text}");
        assert!(!text.contains("keeps all of it"), "{text}");
    }

    #[test]
    fn underspends_unmet_minimums_and_falling_budgets_are_worded_for_them() {
        let mut scenario = examples::default_scenario();
        let risk = scenario.risk_share.as_mut().unwrap();
        risk.outturn = Pence(7_900_000_000); // £1m under an £80m budget
        let results = compute(&scenario).unwrap();
        let summary = summarise(&scenario, &results);
        let text = point(&summary, "overspend");
        assert!(text.contains("an underspend of £1,000,000 ("), "{text}");
        assert!(
            text.contains("the provider (who delivers the care) keeps £1,000,000"),
            "{text}"
        );

        let risk = scenario.risk_share.as_mut().unwrap();
        risk.minimum_rate = Some(MinimumRate::Fixed(0.02));
        let results = compute(&scenario).unwrap();
        let summary = summarise(&scenario, &results);
        let text = point(&summary, "overspend");
        assert!(text.contains("below the 2.0 % of budget"), "{text}");
        assert!(text.contains("the commissioner keeps all of it"), "{text}");
        assert_readable(&summary);

        scenario.risk_share.as_mut().unwrap().outturn = Pence(8_000_000_000);
        let results = compute(&scenario).unwrap();
        let summary = summarise(&scenario, &results);
        assert!(point(&summary, "overspend").contains("exactly the budget of £80,000,000"));
        assert_readable(&summary);

        // A shrinking place with a funding cut: everything falls, in words, not minus signs.
        for band in &mut scenario.places[0].population {
            band.growth = -0.05;
        }
        scenario.budget.uplift = -0.02;
        scenario.budget.efficiency = 0.0;
        let results = compute(&scenario).unwrap();
        let summary = summarise(&scenario, &results);
        assert!(
            summary.headline.contains("falling to"),
            "{}",
            summary.headline
        );
        let text = point(&summary, "change");
        assert!(text.contains("less than in 2025/26"), "{text}");
        assert!(text.contains("the total budget falls by"), "{text}");
        assert!(
            text.contains(
                "population (its size and its age: older people need more care) takes away"
            ),
            "{text}"
        );
        assert!(
            text.contains("uplift of \u{2212}2.0 % takes away"),
            "{text}"
        );
        assert!(!text.contains("efficiency"), "{text}");
        assert_readable(&summary);
    }

    #[test]
    fn mismatched_or_empty_results_never_panic() {
        let (ht, ht_results, _) = summary_of("healthier-together");
        let (anytown, anytown_results, _) = summary_of("anytown");
        assert_readable(&summarise(&anytown, &ht_results));
        assert_readable(&summarise(&ht, &anytown_results));
        let mut empty = anytown_results.clone();
        empty.totals.clear();
        empty.places.clear();
        empty.years.clear();
        if let Some(fs) = empty.fair_shares.as_mut() {
            fs.years.clear();
        }
        let summary = summarise(&anytown, &empty);
        assert!(!summary.headline.is_empty());
        assert!(summary.points.iter().all(|p| p.id != "per_person"));
    }

    #[test]
    fn small_words_read_naturally() {
        assert_eq!(list(["a".to_string()].into_iter()), "a");
        assert_eq!(
            list(["a", "b", "c"].map(String::from).into_iter()),
            "a, b and c"
        );
        assert_eq!(rate(0.03), "3.0 %");
        assert_eq!(rate(0.0125), "1.25 %");
        assert_eq!(effect(Pence(-150)), "takes away £2");
        assert_eq!(signed_pounds(Pence(150)), "+£2");
        assert_eq!(position(-0.0888), "8.9 % below its target");
        assert_eq!(position(0.0004), "at its target");
        assert_eq!(position(f64::NAN), "at its target");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn any_valid_variation_reads_cleanly(
            uplift in -0.2f64..0.2,
            efficiency in 0.0f64..0.2,
            growth in -0.2f64..0.2,
            outturn in 0i64..20_000_000_000,
            years in 1usize..=10,
        ) {
            let mut scenario = examples::default_scenario();
            scenario.budget.uplift = uplift;
            scenario.budget.efficiency = efficiency;
            scenario.budget.years = years;
            for band in &mut scenario.places[0].population {
                band.growth = growth;
            }
            scenario.risk_share.as_mut().unwrap().outturn = Pence(outturn);
            let results = compute(&scenario).unwrap();
            let summary = summarise(&scenario, &results);
            assert_readable(&summary);
            let risk = results.risk_share.as_ref().unwrap();
            let text = point(&summary, "overspend");
            prop_assume!(risk.direction != VarianceDirection::OnBudget);
            prop_assert!(text.contains(&magnitude(risk.provider_total).display_pounds()));
            prop_assert!(text.contains(&magnitude(risk.commissioner_total).display_pounds()));
        }
    }
}
