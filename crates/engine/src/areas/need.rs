//! Need indices and what they mean in plain words.
//!
//! - **Need index** of a group against a reference, for one component:
//!   `(ΣWP_group ÷ Σpop_group) ÷ (ΣWP_ref ÷ Σpop_ref)`, computed as
//!   `(ΣWP_group × Σpop_ref) ÷ (Σpop_group × ΣWP_ref)` from exact integer sums and one
//!   division. 1 is the reference's average; 1.14 is 14 % more need per person. There is no
//!   index for a group with no registered population, or a reference with no weighted one.
//! - **Percentage difference**: (index − 1) × 100 from the index as shown (three decimals),
//!   rounded half away from zero to a whole percent; 0 % reads "about the same".
//! - **The biggest reason**: among the six parts of core services (general and acute,
//!   community, mental health, maternity, prescribing, health inequalities), the one whose
//!   index is furthest from 1 *in the same direction* as the core index (the highest when
//!   need is above average, the lowest when below; ties go to the part listed first). It is
//!   the most unusual part of this area's need, not the part that moves the most money: the
//!   parts' weights within core services are not in NHS England's files. None when core need
//!   is about average, or no part points the same way.
//! - An index of 2 or more reads "5.6 times as much"; a part with no need at all (a
//!   practice with no births, say) reads "the data shows no need at all".

use super::{Component, Totals};

/// A group's index against a reference, for one component (see the module notes).
pub fn index(group: &Totals, reference: &Totals, component: Component) -> Option<f64> {
    let c = component.position();
    if group.population == 0 || reference.population == 0 || reference.weighted[c] == 0 {
        return None;
    }
    let numerator = u128::from(group.weighted[c]) * u128::from(reference.population);
    let denominator = u128::from(group.population) * u128::from(reference.weighted[c]);
    Some(numerator as f64 / denominator as f64)
}

/// Every component's index, by [`Component::position`].
pub fn indices(group: &Totals, reference: &Totals) -> [Option<f64>; 9] {
    Component::ALL.map(|c| index(group, reference, c))
}

/// (index − 1) × 100 as a whole percent, from the index as it is shown (to three decimals):
/// `1.285` → 29, `1.1444` → 14, `0.875` → −13 (halves away from zero). Rounding the index
/// first keeps the percentage beside it consistent ("1.285  +29 %") whatever the last bits.
pub fn percent_difference(index: f64) -> i64 {
    let thousandths = (index * 1000.0).round();
    if !thousandths.is_finite() || thousandths.abs() > 1e15 {
        return 0;
    }
    let d = thousandths as i64 - 1000;
    (d.abs() + 5) / 10 * d.signum()
}

/// The part of core services that is furthest from average in the direction of the core
/// index (module notes), with its index.
pub fn biggest_reason(indices: &[Option<f64>; 9]) -> Option<(Component, f64)> {
    let core = indices[Component::Core.position()]?;
    let direction = percent_difference(core).signum();
    if direction == 0 {
        return None;
    }
    let mut best: Option<(Component, f64)> = None;
    for part in Component::CORE_PARTS {
        let Some(i) = indices[part.position()] else {
            continue;
        };
        let distance = (i - 1.0) * direction as f64;
        if distance <= 0.0 {
            continue;
        }
        if best.is_none_or(|(_, b)| distance > (b - 1.0) * direction as f64) {
            best = Some((part, i));
        }
    }
    best
}

/// The plain-words sentence: "People registered at X are expected to need 14 % more NHS care
/// than the average person in England; the biggest reason is mental health, where need is
/// 35 % above average." `subject` names the people ("People in NHS Devon ICB"); `reference`
/// names where the average is taken ("England", "NHS Devon ICB").
pub fn sentence(subject: &str, reference: &str, indices: &[Option<f64>; 9]) -> String {
    let Some(core) = indices[Component::Core.position()] else {
        return format!(
            "{subject}: there is no registered population to compare with {reference}."
        );
    };
    let percent = percent_difference(core);
    if percent == 0 {
        return format!(
            "{subject} are expected to need about the same NHS care as the average person in {reference}."
        );
    }
    let more = percent > 0;
    let mut text = if core >= 2.0 {
        format!(
            "{subject} are expected to need {core:.1} times as much NHS care as the average person in {reference}"
        )
    } else {
        format!(
            "{subject} are expected to need {} % {} NHS care than the average person in {reference}",
            percent.unsigned_abs(),
            if more { "more" } else { "less" },
        )
    };
    if let Some((part, i)) = biggest_reason(indices) {
        let how_far = if i == 0.0 {
            "the data shows no need at all".to_string()
        } else if i >= 2.0 {
            format!("need is {i:.1} times the average")
        } else {
            format!(
                "need is {} % {} average",
                percent_difference(i).unsigned_abs(),
                if more { "above" } else { "below" }
            )
        };
        text.push_str(&format!(
            "; the biggest reason is {}, where {how_far}",
            part.name()
        ));
    }
    text.push('.');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::areas::WEIGHTED_SCALE;

    fn totals(people: u64, weighted: [f64; 9]) -> Totals {
        Totals {
            practices: 1,
            population: people * 100,
            weighted: weighted.map(|w| (w * (people * WEIGHTED_SCALE) as f64).round() as u64),
        }
    }

    #[test]
    fn an_index_is_weighted_per_person_against_the_reference() {
        let england = totals(1000, [1.0; 9]);
        let area = totals(100, [1.14; 9]);
        assert!((index(&area, &england, Component::Core).unwrap() - 1.14).abs() < 1e-12);
        let richer = totals(1000, [2.0; 9]);
        assert!((index(&area, &richer, Component::Core).unwrap() - 0.57).abs() < 1e-12);
        assert_eq!(index(&Totals::default(), &england, Component::Core), None);
        assert_eq!(index(&area, &Totals::default(), Component::Core), None);
    }

    #[test]
    fn percentages_round_half_away_from_zero() {
        // 1.125 and 0.875 are exact in binary: true halves.
        assert_eq!(percent_difference(1.125), 13);
        assert_eq!(percent_difference(0.875), -13);
        assert_eq!(percent_difference(1.1449), 15); // shown as 1.145
        assert_eq!(percent_difference(1.1444), 14);
        assert_eq!(percent_difference(1.285), 29);
        assert_eq!(percent_difference(1.2849999), 29);
        assert_eq!(percent_difference(1.004), 0);
        assert_eq!(percent_difference(f64::NAN), 0);
    }

    #[test]
    fn the_biggest_reason_points_the_same_way_as_core_need() {
        let mut i = [Some(1.0); 9];
        i[Component::Core.position()] = Some(1.14);
        i[Component::MentalHealth.position()] = Some(1.35);
        i[Component::Maternity.position()] = Some(0.5); // furthest, but the other way
        i[Component::PrimaryMedicalCare.position()] = Some(2.0); // not a part of core
        assert_eq!(biggest_reason(&i), Some((Component::MentalHealth, 1.35)));
        assert_eq!(
            sentence("People in Anywhere", "England", &i),
            "People in Anywhere are expected to need 14 % more NHS care than the average \
             person in England; the biggest reason is mental health, where need is 35 % above average."
        );
        i[Component::Core.position()] = Some(0.91);
        assert_eq!(biggest_reason(&i), Some((Component::Maternity, 0.5)));
        assert!(sentence("People here", "NHS Devon ICB", &i).contains(
            "9 % less NHS care than the average person in NHS Devon ICB; the biggest reason is maternity, where need is 50 % below average."
        ));
        i[Component::Core.position()] = Some(5.631);
        i[Component::Community.position()] = Some(10.549);
        assert!(sentence("People here", "England", &i).contains(
            "need 5.6 times as much NHS care as the average person in England; the biggest \
             reason is community services, where need is 10.5 times the average."
        ));
        i[Component::Core.position()] = Some(1.004);
        assert_eq!(biggest_reason(&i), None);
        assert!(sentence("People here", "England", &i).contains("about the same"));
        i[Component::Core.position()] = None;
        assert!(sentence("People here", "England", &i).contains("no registered population"));
    }
}
