//! Where an area stands among all areas of its kind (all ICBs, all LADs, all practices) in
//! one year, by need index against England for a component: position 1 is the highest need.
//!
//! Areas are compared exactly (`WP_a × pop_b` against `WP_b × pop_a`, in 128-bit integers),
//! so the order is the same on every platform; equal indices keep code order. An area with
//! no registered population has no index and no rank.

use super::{Area, AreaKind, Component, Dataset};
use serde::Serialize;
use std::cmp::Ordering;

/// A position among `of` areas, 1 the highest need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Rank {
    pub position: u32,
    pub of: u32,
}

/// Every area of a kind with a registered population, highest need first.
pub fn ranking(data: &Dataset, kind: AreaKind, component: Component) -> Vec<Area> {
    let c = component.position();
    let mut areas: Vec<(Area, u64, u64)> = data
        .areas(kind)
        .into_iter()
        .map(|a| {
            let t = data.totals(a);
            (a, t.weighted[c], t.population)
        })
        .filter(|&(_, _, p)| p > 0)
        .collect();
    areas.sort_by(|&(_, wa, pa), &(_, wb, pb)| higher_first(wa, pa, wb, pb));
    areas.into_iter().map(|(a, _, _)| a).collect()
}

/// The area's rank among all areas of its kind.
pub fn rank(data: &Dataset, area: Area, component: Component) -> Option<Rank> {
    let order = ranking(data, area.kind(), component);
    let position = order.iter().position(|&a| a == area)?;
    Some(Rank {
        position: position as u32 + 1,
        of: order.len() as u32,
    })
}

/// Higher `w ÷ p` first.
fn higher_first(wa: u64, pa: u64, wb: u64, pb: u64) -> Ordering {
    let a = u128::from(wa) * u128::from(pb);
    let b = u128::from(wb) * u128::from(pa);
    b.cmp(&a)
}
