//! The claims, casualty figures and summaries of UCDP GED rows, made when asked for from
//! what each row keeps ([`UcdpRow`] in its [`RowClaim`]), in the words the import writes
//! when a row keeps them stored: one claim for the event (UCDP's total as given) and one
//! per casualty figure (its share of the best estimate, and of the range).
//!
//! A row's claims are `c-{event}` and `c-{event}-{a,b,civ,unk}`; the import keeps a row's
//! claims stored when its event id ends as a part's does, so that every id names one claim.

use crate::domain::model::{
    Casualties, Claim, Confidence, Count, Event, NO_ACTOR, Outcome, Qualifier, RowClaim, Situation, UcdpRow, Violence,
};

/// Whom UCDP's estimates are attributed to: UCDP's judgement over its sources.
pub const UCDP_GED: &str = "UCDP GED";

/// "1 death", "3 deaths".
#[must_use]
pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// `total` shared among groups in proportion to `weights` by largest remainders: whole
/// numbers that add up to `total` exactly. With no weight at all, the first group takes it.
#[must_use]
pub fn shares(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let mut out = vec![0; weights.len()];
    if sum == 0 {
        if let Some(first) = out.first_mut() {
            *first = total;
        }
        return out;
    }
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given = 0;
    for (i, &w) in weights.iter().enumerate() {
        let product = u128::from(total) * u128::from(w);
        out[i] = (product / sum) as u64;
        given += out[i];
        remainders.push((product % sum, i));
    }
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take((total - given) as usize) {
        out[i] += 1;
    }
    out
}

/// The counts of an event's figures, from each figure's best estimate (`bests`) and the
/// event's low, best and high as counted (low ≤ best ≤ high).
///
/// UCDP gives best, low and high for the event as a whole, and splits only the best estimate by
/// group. When low = best = high, each group's count is exact. Otherwise each group's count is
/// `approximately` its best share, with low and high made by sharing the event's shortfall
/// (best − low) and excess (high − best) among the groups in proportion to their best
/// estimates, in whole numbers that add up exactly. So the event's figures add up to UCDP's own
/// best, low and high (totals stay right, and never read as exact when UCDP gave a range),
/// while the claims say the per-group ranges are shares, not UCDP's figures. The event's own
/// claim keeps UCDP's total as given.
#[must_use]
pub fn part_counts(bests: &[u64], low: u64, best: u64, high: u64) -> Vec<Count> {
    if low == best && high == best {
        return bests.iter().map(|&b| Count::exact(b)).collect();
    }
    let short = shares(best - low, bests);
    let excess = shares(high - best, bests);
    bests
        .iter()
        .zip(short.iter().zip(&excess))
        .map(|(&b, (&s, &e))| Count {
            best: b,
            low: Some(b - s),
            high: Some(b + e),
            qualifier: Qualifier::Approximately,
            raw: None,
        })
        .collect()
}

/// The count of the event's own claim: UCDP's best, with the range as counted when UCDP
/// gives one (`given_low`/`given_high` as given; `low`/`high` as counted).
#[must_use]
pub fn total_count(best: u64, (given_low, given_high): (u64, u64), (low, high): (u64, u64)) -> Count {
    if given_low != best || given_high != best {
        Count { best, low: Some(low), high: Some(high), qualifier: Qualifier::Approximately, raw: None }
    } else {
        Count::exact(best)
    }
}

/// The statement of the event's own claim.
#[must_use]
pub fn total_statement(best: u64, given_low: u64, given_high: u64) -> String {
    if given_low != best || given_high != best {
        format!("UCDP GED estimates {} (low {given_low}, high {given_high})", plural(best, "death", "deaths"))
    } else {
        format!("UCDP GED estimates {}", plural(best, "death", "deaths"))
    }
}

/// The statement of a casualty figure's claim: `best` deaths among `who`.
#[must_use]
pub fn part_statement(best: u64, who: &str) -> String {
    format!("UCDP GED's best estimate puts {} among {who}", plural(best, "death", "deaths"))
}

/// The note of a casualty figure's claim when UCDP gives a range (low and high as counted).
#[must_use]
pub fn range_note(low: u64, high: u64) -> String {
    format!(
        "UCDP gives low {low} and high {high} for the event as a whole; this figure's range is its share of that \
         range in proportion to the best estimates, not a UCDP figure"
    )
}

/// What is odd when UCDP's low is above its best.
#[must_use]
pub fn low_above(low: u64, best: u64) -> String {
    format!("UCDP's low ({low}) is above its best ({best})")
}

/// What is odd when UCDP's high is below its best.
#[must_use]
pub fn high_below(high: u64, best: u64) -> String {
    format!("UCDP's high ({high}) is below its best ({best})")
}

/// The note an odd row's own claim (and event) carries, from what is odd about it.
#[must_use]
pub fn odd_note(said: &[&str], best: u64) -> String {
    format!("sitdash: {}; kept as the source gives them, and its best ({best}) is counted.", said.join("; "))
}

/// One of UCDP's claims, as the import writes it.
#[must_use]
pub fn claim(
    id: String,
    source: String,
    statement: String,
    count: Count,
    confidence: Option<Confidence>,
    note: Option<String>,
) -> Claim {
    Claim {
        id,
        source,
        attributed_to: UCDP_GED.to_string(),
        statement,
        count: Some(count),
        unit: None,
        confidence,
        note,
        quote: None,
        span: None,
        context: None,
    }
}

/// What a summary of a UCDP row says happened.
#[must_use]
pub fn violence_words(violence: Violence) -> &'static str {
    match violence {
        Violence::StateBased => "State-based armed clash",
        Violence::NonState => "Non-state armed clash",
        Violence::OneSided => "One-sided violence",
    }
}

/// The words between the two sides of a UCDP row's summary.
#[must_use]
pub fn sides_join(violence: Violence) -> &'static str {
    if violence == Violence::OneSided { " against " } else { " vs " }
}

/// One casualty figure of a UCDP row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    SideA,
    SideB,
    Civilians,
    /// Of unknown affiliation, in UCDP's split.
    Unknown,
    /// All the dead, when the row gives no split (or none in its best estimate).
    AllSides,
}

impl Part {
    /// The end of the figure's claim id: `c-{event}-{suffix}`.
    #[must_use]
    pub fn suffix(self) -> &'static str {
        match self {
            Part::SideA => "a",
            Part::SideB => "b",
            Part::Civilians => "civ",
            Part::Unknown | Part::AllSides => "unk",
        }
    }
}

/// The suffixes a figure's claim id ends with.
pub const PART_SUFFIXES: [&str; 4] = ["-a", "-b", "-civ", "-unk"];

/// A row's casualty figures, in order, each with its best estimate.
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    items: [(Part, u64); 4],
    len: usize,
}

impl Parts {
    /// The figures of a row: each group of the split with a death in the best estimate; or,
    /// with no split (or none in it) but some deaths in the high estimate, one for all.
    #[must_use]
    pub fn of(split: Option<[u64; 4]>, best: u64, high: u64) -> Parts {
        let mut parts = Parts { items: [(Part::AllSides, 0); 4], len: 0 };
        if let Some(split) = split {
            for (part, n) in [Part::SideA, Part::SideB, Part::Civilians, Part::Unknown].into_iter().zip(split) {
                if n > 0 {
                    parts.items[parts.len] = (part, n);
                    parts.len += 1;
                }
            }
        }
        if parts.len == 0 && high > 0 {
            parts.items[0] = (Part::AllSides, best);
            parts.len = 1;
        }
        parts
    }

    #[must_use]
    pub fn as_slice(&self) -> &[(Part, u64)] {
        &self.items[..self.len]
    }

    /// The counts of the figures, as [`part_counts`] makes them.
    #[must_use]
    pub fn counts(&self, low: u64, best: u64, high: u64) -> Vec<Count> {
        let bests: Vec<u64> = self.as_slice().iter().map(|p| p.1).collect();
        part_counts(&bests, low, best, high)
    }
}

impl UcdpRow {
    /// The row's figures, with `best` its best estimate.
    #[must_use]
    pub fn parts(&self, best: u32) -> Parts {
        let split = self.split.then(|| {
            let (a, b, civ) = (u64::from(self.a), u64::from(self.b), u64::from(self.civilians));
            [a, b, civ, u64::from(best).saturating_sub(a + b + civ)]
        });
        let (_, high) = self.counted(best);
        Parts::of(split, u64::from(best), high)
    }

    /// Low and high as counted: the range only where it holds best.
    #[must_use]
    pub fn counted(&self, best: u32) -> (u64, u64) {
        (u64::from(self.low.min(best)), u64::from(self.high.max(best)))
    }

    /// UCDP gives a range (as given, not as counted).
    #[must_use]
    pub fn ranged(&self, best: u32) -> bool {
        self.low != best || self.high != best
    }

    /// The note of the event's own claim when UCDP's figures do not fit together.
    #[must_use]
    pub fn odd_note(&self, best: u32) -> Option<String> {
        let b = u64::from(best);
        let low = (self.low > best).then(|| low_above(u64::from(self.low), b));
        let high = (self.high < best).then(|| high_below(u64::from(self.high), b));
        let said: Vec<&str> = low.iter().chain(high.iter()).map(String::as_str).collect();
        (!said.is_empty()).then(|| odd_note(&said, b))
    }
}

/// Which of a UCDP row's claims an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The event's own claim, `c-{event}`.
    Total,
    /// A casualty figure's, by its place among [`UcdpRow::parts`].
    Part(usize),
}

/// The event whose UCDP row makes the claim `id`, and which of its claims it is: `row_of`
/// finds an event by id and gives what it is known by, its row and the row's figures
/// (`None` for an event that is not a UCDP row keeping its claims in the row).
pub fn resolve<T>(id: &str, row_of: impl Fn(&str) -> Option<(T, RowClaim, UcdpRow)>) -> Option<(T, Which)> {
    let rest = id.strip_prefix("c-")?;
    if let Some((t, _, _)) = row_of(rest) {
        return Some((t, Which::Total));
    }
    let (event, suffix) = rest.rsplit_once('-')?;
    let (t, row, u) = row_of(event)?;
    let parts = u.parts(row.fatalities);
    let i = parts.as_slice().iter().position(|p| p.0.suffix() == suffix)?;
    Some((t, Which::Part(i)))
}

/// A row and its UCDP figures, when it is a UCDP row (`rows`: where its figures are).
#[must_use]
pub fn ucdp_row_in(row: Option<RowClaim>, rows: &[UcdpRow]) -> Option<(RowClaim, UcdpRow)> {
    let row = row?;
    Some((row, *rows.get(row.ucdp_at()?)?))
}

impl Situation {
    /// The event's row and its figures, when it is a UCDP row whose claims are made from it.
    #[must_use]
    pub fn ucdp_row(&self, event: &Event) -> Option<(RowClaim, UcdpRow)> {
        ucdp_row_in(event.row, &self.ucdp_rows)
    }

    /// How many claims an imported row makes: an ACLED row one, a UCDP row one for the
    /// event and one per casualty figure.
    #[must_use]
    pub fn claims_made(&self, event: &Event) -> usize {
        match (event.row, self.ucdp_row(event)) {
            (None, _) => 0,
            (Some(_), None) => 1,
            (Some(row), Some((_, u))) => 1 + u.parts(row.fatalities).as_slice().len(),
        }
    }

    fn handle_actor(&self, handle: u32) -> Option<&crate::domain::model::Actor> {
        if handle == NO_ACTOR { None } else { self.actors.get(handle as usize) }
    }

    /// A figure's group: an actor id, `civilians` or `unknown`.
    fn ucdp_group(&self, row: RowClaim, part: Part) -> &str {
        let actor = |h: u32| self.handle_actor(h).map_or("unknown", |a| a.id.as_str());
        match part {
            Part::SideA => actor(row.by),
            Part::SideB => actor(row.against),
            Part::Civilians => "civilians",
            Part::Unknown | Part::AllSides => "unknown",
        }
    }

    /// Whom a figure's claim says the dead were among.
    fn ucdp_who(&self, row: RowClaim, part: Part) -> &str {
        let actor = |h: u32| self.handle_actor(h).map_or("", |a| a.name.as_str());
        match part {
            Part::SideA => actor(row.by),
            Part::SideB => actor(row.against),
            Part::Civilians => "civilians",
            Part::Unknown => "people of unknown affiliation",
            Part::AllSides => "all sides",
        }
    }

    fn ucdp_source(&self, row: RowClaim) -> String {
        self.sources.get(row.source as usize).map(|s| s.id.clone()).unwrap_or_default()
    }

    /// The event's own claim, made from its UCDP row.
    #[must_use]
    pub fn ucdp_total_claim(&self, event: &Event, row: RowClaim, u: UcdpRow) -> Claim {
        let best = row.fatalities;
        claim(
            format!("c-{}", event.id),
            self.ucdp_source(row),
            total_statement(u64::from(best), u64::from(u.low), u64::from(u.high)),
            total_count(u64::from(best), (u64::from(u.low), u64::from(u.high)), u.counted(best)),
            u.low_confidence.then_some(Confidence::Low),
            u.odd_note(best),
        )
    }

    /// The claims of the row's casualty figures, in order.
    fn ucdp_part_claims(&self, event: &Event, row: RowClaim, u: UcdpRow) -> impl Iterator<Item = Claim> + '_ {
        let best = row.fatalities;
        let (low, high) = u.counted(best);
        let parts = u.parts(best);
        let counts = parts.counts(low, u64::from(best), high);
        let note = u.ranged(best).then(|| range_note(low, high));
        let source = self.ucdp_source(row);
        let event_id = event.id.clone();
        (0..parts.len).zip(counts).map(move |(i, count)| {
            let (part, n) = parts.items[i];
            claim(
                format!("c-{event_id}-{}", part.suffix()),
                source.clone(),
                part_statement(n, self.ucdp_who(row, part)),
                count,
                u.low_confidence.then_some(Confidence::Low),
                note.clone(),
            )
        })
    }

    /// Every claim the row makes, in the order the import used to store them.
    #[must_use]
    pub fn ucdp_claims(&self, event: &Event, row: RowClaim, u: UcdpRow) -> Vec<Claim> {
        std::iter::once(self.ucdp_total_claim(event, row, u)).chain(self.ucdp_part_claims(event, row, u)).collect()
    }

    /// The claim `id`, when a UCDP row makes it.
    #[must_use]
    pub fn ucdp_claim(&self, id: &str) -> Option<Claim> {
        let row_of = |id: &str| {
            let event = &self.events[self.event_index(id)?];
            self.ucdp_row(event).map(|(row, u)| (event, row, u))
        };
        let (event, which) = resolve(id, row_of)?;
        let (row, u) = self.ucdp_row(event)?;
        match which {
            Which::Total => Some(self.ucdp_total_claim(event, row, u)),
            Which::Part(i) => self.ucdp_part_claims(event, row, u).nth(i),
        }
    }

    /// The row's casualty figures, in order.
    #[must_use]
    pub fn ucdp_casualties(&self, event: &Event, row: RowClaim, u: UcdpRow) -> Vec<Casualties> {
        u.parts(row.fatalities)
            .as_slice()
            .iter()
            .map(|&(part, _)| {
                let id = format!("c-{}-{}", event.id, part.suffix());
                Casualties {
                    group: self.ucdp_group(row, part).to_string(),
                    outcome: Outcome::Killed,
                    claims: vec![id.clone()],
                    chosen: id,
                }
            })
            .collect()
    }

    /// Each figure's group and count, with no claim made on the way.
    pub fn ucdp_figure_counts(&self, row: RowClaim, u: UcdpRow) -> impl Iterator<Item = (&str, Count)> + '_ {
        let best = row.fatalities;
        let (low, high) = u.counted(best);
        let parts = u.parts(best);
        let counts = parts.counts(low, u64::from(best), high);
        (0..parts.len).zip(counts).map(move |(i, count)| (self.ucdp_group(row, parts.items[i].0), count))
    }
}

impl Event {
    /// Appends the summary made from a UCDP row: "{type of violence} in {place}: {side a}",
    /// and " vs {side b}" (" against " for one-sided violence) when it names side b.
    pub(crate) fn ucdp_summary_into(&self, sit: &Situation, out: &mut String) {
        let Some((row, u)) = sit.ucdp_row(self) else { return };
        out.push_str(violence_words(u.violence));
        out.push_str(" in ");
        out.push_str(sit.place_name(&self.place));
        out.push_str(": ");
        out.push_str(sit.handle_actor(row.by).map_or("", |a| a.name.as_str()));
        if let Some(b) = sit.handle_actor(row.against) {
            out.push_str(sides_join(u.violence));
            out.push_str(&b.name);
        }
    }

    /// The length in bytes of [`Event::ucdp_summary_into`]'s summary.
    pub(crate) fn ucdp_summary_len(&self, sit: &Situation) -> usize {
        let Some((row, u)) = sit.ucdp_row(self) else { return 0 };
        let name = |h: u32| sit.handle_actor(h).map(|a| a.name.len());
        violence_words(u.violence).len()
            + 4
            + sit.place_name(&self.place).len()
            + 2
            + name(row.by).unwrap_or(0)
            + name(row.against).map_or(0, |n| n + sides_join(u.violence).len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_and_follow_weights() {
        assert_eq!(shares(5, &[9, 1]), vec![5, 0]);
        assert_eq!(shares(3, &[1, 1, 1]), vec![1, 1, 1]);
        assert_eq!(shares(4, &[1, 1, 1]), vec![2, 1, 1]);
        assert_eq!(shares(0, &[3, 4]), vec![0, 0]);
        assert_eq!(shares(7, &[0]), vec![7]);
        assert_eq!(shares(10, &[2, 3]), vec![4, 6]);
        for total in 0..30 {
            let weights = [5, 0, 2, 9];
            let s = shares(total, &weights);
            assert_eq!(s.iter().sum::<u64>(), total);
            assert_eq!(s[1], 0);
        }
    }

    #[test]
    fn part_ranges_add_up_to_the_event_range() {
        let bests = [4, 1, 5];
        let counts = part_counts(&bests, 8, 10, 15);
        assert_eq!(counts.iter().map(|c| c.best).sum::<u64>(), 10);
        assert_eq!(counts.iter().map(|c| c.low.unwrap()).sum::<u64>(), 8);
        assert_eq!(counts.iter().map(|c| c.high.unwrap()).sum::<u64>(), 15);
        assert!(counts.iter().all(|c| c.low.unwrap() <= c.best && c.best <= c.high.unwrap()));
        assert!(part_counts(&bests, 10, 10, 10).iter().all(|c| c.qualifier == Qualifier::Exact));
    }

    #[test]
    fn parts_follow_the_split_and_fall_back_to_one_for_all() {
        let kinds = |p: Parts| p.as_slice().to_vec();
        assert_eq!(
            kinds(Parts::of(Some([2, 0, 3, 1]), 6, 6)),
            [(Part::SideA, 2), (Part::Civilians, 3), (Part::Unknown, 1)]
        );
        assert_eq!(kinds(Parts::of(Some([0, 0, 0, 0]), 0, 4)), [(Part::AllSides, 0)]);
        assert_eq!(kinds(Parts::of(None, 7, 7)), [(Part::AllSides, 7)]);
        assert!(kinds(Parts::of(None, 0, 0)).is_empty());
    }
}
