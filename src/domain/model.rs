//! The situation model: sources, claims, places, actors, events, displacement series and
//! observation posts, exactly as our JSON format carries them (see `docs/FORMAT.md`).

use std::borrow::Cow;
use std::fmt;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::notes::{Note, NoteStore};
pub use crate::domain::place_id::PlaceId;

/// A calendar day. Parsing rejects impossible dates with a message that says what to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub NaiveDate);

impl Day {
    /// Parses `YYYY-MM-DD`.
    ///
    /// # Errors
    /// A message naming the bad text and the expected form.
    pub fn parse(text: &str) -> Result<Day, String> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Day)
            .map_err(|_| format!("`{text}` is not a real calendar date; write it as YYYY-MM-DD, e.g. 2020-02-07"))
    }

    /// The day `days` later (earlier when negative); `None` outside the calendar.
    #[must_use]
    pub fn checked_add_days(self, days: i64) -> Option<Day> {
        Duration::try_days(days).and_then(|d| self.0.checked_add_signed(d)).map(Day)
    }

    /// Like [`Day::checked_add_days`], staying put at the ends of the calendar.
    #[must_use]
    pub fn add_days(self, days: i64) -> Day {
        self.checked_add_days(days).unwrap_or(self)
    }

    /// "7 Feb 2020".
    #[must_use]
    pub fn long(self) -> String {
        self.0.format("%-d %b %Y").to_string()
    }

    /// "7 Feb".
    #[must_use]
    pub fn short(self) -> String {
        self.0.format("%-d %b").to_string()
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Day::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// How sure a count is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    #[default]
    Exact,
    AtLeast,
    AtMost,
    Approximately,
    Unknown,
}

impl Qualifier {
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::AtLeast => "at least",
            Qualifier::AtMost => "at most",
            Qualifier::Approximately => "approximately",
            Qualifier::Unknown => "unknown",
        }
    }
}

/// A number as a source states it: never a bare integer when the source is vague.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Count {
    pub best: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<u64>,
    #[serde(default)]
    pub qualifier: Qualifier,
    /// The phrase the source used, e.g. "at least 10".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
}

impl Count {
    #[must_use]
    pub fn exact(n: u64) -> Count {
        Count { best: n, low: None, high: None, qualifier: Qualifier::Exact, raw: None }
    }

    /// The lowest value the source allows.
    #[must_use]
    pub fn low_bound(&self) -> u64 {
        match (self.low, self.qualifier) {
            (Some(low), _) => low,
            (None, Qualifier::AtMost | Qualifier::Unknown) => 0,
            (None, _) => self.best,
        }
    }

    /// The highest value the source allows; `None` when it is open-ended or not given.
    #[must_use]
    pub fn high_bound(&self) -> Option<u64> {
        match (self.high, self.qualifier) {
            (Some(high), _) => Some(high),
            (None, Qualifier::Exact | Qualifier::AtMost) => Some(self.best),
            (None, _) => None,
        }
    }

    /// True when the figure is only a floor ("at least 10").
    #[must_use]
    pub fn is_lower_bound(&self) -> bool {
        self.qualifier == Qualifier::AtLeast
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub publisher: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Day>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A figure or fact as one source states it, attributed to whoever the source quotes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub id: String,
    pub source: String,
    pub attributed_to: String,
    /// What is claimed, in our own words.
    pub statement: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Count>,
    /// What the count counts when it is not people ("vehicles").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For a claim read from text: the source's exact words that state it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Where `quote` stands in the text it was read from: start and end, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<[usize; 2]>,
    /// The sentence `quote` was read in, so that a reader sees the words around it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum GeoPrecision {
    /// The town itself (ACLED geo_precision 1).
    #[default]
    Town,
    /// Near a town or part of a region (2).
    NearTown,
    /// Only a larger region is known (3).
    Region,
}

impl GeoPrecision {
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            GeoPrecision::Town => "town",
            GeoPrecision::NearTown => "near a town",
            GeoPrecision::Region => "region only",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alt_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    #[serde(default)]
    pub geo_precision: GeoPrecision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coord_confidence: Option<Confidence>,
    /// The larger place this one lies in (a town inside its governorate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub id: String,
    pub name: String,
    /// ACLED inter code: 1 state forces … 8 external/other forces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inter: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alt_names: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    #[default]
    Day,
    /// The week starting on `date`.
    Week,
    /// The month containing `date`.
    Month,
    /// The year containing `date`.
    Year,
}

/// When something happened, no more precisely than the source says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSpan {
    pub start: Day,
    pub end: Day,
    pub precision: DatePrecision,
    /// True when an explicit start–end window was given.
    pub window: bool,
}

impl DateSpan {
    #[must_use]
    pub fn new(date: Day, precision: DatePrecision, end: Option<Day>) -> DateSpan {
        if let Some(end) = end {
            return DateSpan { start: date, end, precision, window: true };
        }
        let d = date.0;
        let (start, end) = match precision {
            DatePrecision::Day => (d, d),
            DatePrecision::Week => (d, d + Duration::days(6)),
            DatePrecision::Month => {
                let first = d.with_day(1).unwrap_or(d);
                let next = if first.month() == 12 {
                    NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
                };
                (first, next.map_or(d, |n| n - Duration::days(1)))
            }
            DatePrecision::Year => (
                NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
                NaiveDate::from_ymd_opt(d.year(), 12, 31).unwrap_or(d),
            ),
        };
        DateSpan { start: Day(start), end: Day(end), precision, window: false }
    }

    /// The date as precisely as it is known: "2020-02-06", "wk of 2020-02-03", "2020-02", "2020",
    /// "2020-02-04..06".
    #[must_use]
    pub fn label(&self) -> String {
        if self.window {
            return format!("{}..{}", self.start, self.end);
        }
        match self.precision {
            DatePrecision::Day => self.start.to_string(),
            DatePrecision::Week => format!("wk {}", self.start),
            DatePrecision::Month => self.start.0.format("%Y-%m").to_string(),
            DatePrecision::Year => self.start.0.format("%Y").to_string(),
        }
    }

    #[must_use]
    pub fn precision_word(&self) -> &'static str {
        if self.window {
            return "window";
        }
        match self.precision {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    #[default]
    Occurred,
    Announced,
    Planned,
}

impl EventStatus {
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            EventStatus::Occurred => "occurred",
            EventStatus::Announced => "announced",
            EventStatus::Planned => "planned",
        }
    }
}

macro_rules! kinds {
    ($( $variant:ident => $snake:literal, $event_type:literal, $sub:literal, $tag:literal; )*) => {
        /// What kind of event: ACLED's sub-event types, so that imports line up.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Kind { $( $variant, )* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[ $( Kind::$variant, )* ];

            #[must_use]
            pub fn id(self) -> &'static str { match self { $( Kind::$variant => $snake, )* } }
            #[must_use]
            pub fn acled_event_type(self) -> &'static str { match self { $( Kind::$variant => $event_type, )* } }
            #[must_use]
            pub fn acled_sub_event_type(self) -> &'static str { match self { $( Kind::$variant => $sub, )* } }
            /// A short tag for narrow columns.
            #[must_use]
            pub fn tag(self) -> &'static str { match self { $( Kind::$variant => $tag, )* } }
        }
    };
}

kinds! {
    ArmedClash => "armed_clash", "Battles", "Armed clash", "CLASH";
    GovernmentRegainsTerritory => "government_regains_territory", "Battles", "Government regains territory", "GOV+";
    NonStateActorOvertakesTerritory => "non_state_actor_overtakes_territory", "Battles", "Non-state actor overtakes territory", "NSA+";
    ChemicalWeapon => "chemical_weapon", "Explosions/Remote violence", "Chemical weapon", "CHEM";
    AirDroneStrike => "air_drone_strike", "Explosions/Remote violence", "Air/drone strike", "AIR";
    SuicideBomb => "suicide_bomb", "Explosions/Remote violence", "Suicide bomb", "SUIC";
    ShellingArtilleryMissileAttack => "shelling_artillery_missile_attack", "Explosions/Remote violence", "Shelling/artillery/missile attack", "SHELL";
    RemoteExplosive => "remote_explosive", "Explosions/Remote violence", "Remote explosive/landmine/IED", "IED";
    Grenade => "grenade", "Explosions/Remote violence", "Grenade", "GREN";
    SexualViolence => "sexual_violence", "Violence against civilians", "Sexual violence", "SEXV";
    Attack => "attack", "Violence against civilians", "Attack", "ATTK";
    Abduction => "abduction", "Violence against civilians", "Abduction/forced disappearance", "ABDU";
    PeacefulProtest => "peaceful_protest", "Protests", "Peaceful protest", "PROT";
    ProtestWithIntervention => "protest_with_intervention", "Protests", "Protest with intervention", "PROT!";
    ExcessiveForceAgainstProtesters => "excessive_force_against_protesters", "Protests", "Excessive force against protesters", "PROT!!";
    ViolentDemonstration => "violent_demonstration", "Riots", "Violent demonstration", "RIOT";
    MobViolence => "mob_violence", "Riots", "Mob violence", "MOB";
    Agreement => "agreement", "Strategic developments", "Agreement", "AGREE";
    Arrests => "arrests", "Strategic developments", "Arrests", "ARREST";
    ChangeToGroupActivity => "change_to_group_activity", "Strategic developments", "Change to group/activity", "GROUP";
    DisruptedWeaponsUse => "disrupted_weapons_use", "Strategic developments", "Disrupted weapons use", "DISR";
    HeadquartersOrBaseEstablished => "headquarters_or_base_established", "Strategic developments", "Headquarters or base established", "BASE";
    LootingPropertyDestruction => "looting_property_destruction", "Strategic developments", "Looting/property destruction", "LOOT";
    NonViolentTransferOfTerritory => "non_violent_transfer_of_territory", "Strategic developments", "Non-violent transfer of territory", "XFER";
    OtherStrategic => "other_strategic", "Strategic developments", "Other", "STRAT";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Killed,
    Injured,
}

/// One casualty figure of one group in one event, with every claim about it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Casualties {
    /// `civilians`, `unknown`, or an actor id (`turkish_forces`).
    pub group: String,
    pub outcome: Outcome,
    /// Every claim about this figure, in the order reports came in.
    pub claims: Vec<String>,
    /// The claim whose count is the figure's value.
    pub chosen: String,
}

/// An event's id: up to 15 bytes held inside the event (ACLED's `event_id_cnty` and UCDP's
/// ids fit), a longer one in one shared allocation; a million rows no longer mean a million
/// small allocations for their ids.
pub type EventId = ecow::EcoString;

/// One event. What only our own format writes of an event (its actors by id, summary,
/// claims, figures, posts, and a second report's first) is kept apart in [`Written`], boxed,
/// so that an imported row, which has none of it, costs a pointer for it instead of seven
/// empty fields (about 170 bytes an event, a million times over).
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "EventRecord<'static>")]
pub struct Event {
    pub id: EventId,
    pub date: Day,
    pub precision: DatePrecision,
    /// The last possible day, for a window.
    pub end: Option<Day>,
    pub status: EventStatus,
    pub kind: Kind,
    pub place: PlaceId,
    /// How sure this record is of the place (ACLED geo_precision, UCDP where_prec): a
    /// property of the report, not of the place, so two rows at one place with different
    /// precisions are still one place. Absent: the place's own precision applies.
    pub geo_precision: Option<GeoPrecision>,
    /// The event's notes in [`Situation::note_store`], once stored there.
    pub note: Option<Note>,
    /// What an imported row says of itself, from which its claim, its casualty figure and
    /// its summary are made when asked for; `None` for events read from our format.
    pub row: Option<RowClaim>,
    /// What the event stores beyond the row; `None` when all of it is empty. Read it through
    /// [`Event::written`], change it through [`Event::written_mut`].
    pub written: Option<Box<Written>>,
}

/// What an event stores that an imported row does not: the fields of our format that a row
/// makes when asked for, or never has.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Written {
    /// Actor ids of those who acted (ACLED actor1 and its associates), as stored; an
    /// imported row keeps its one actor in `row` instead. Read them through
    /// [`Situation::by`].
    pub by: Vec<String>,
    /// Actor ids of those acted against (ACLED actor2), as stored; read them through
    /// [`Situation::against`].
    pub against: Vec<String>,
    /// One line, in our own words, as the file wrote it; empty for an imported row whose
    /// line is made when drawn. Read it through [`Event::summary`].
    pub summary: String,
    /// Claims that the event happened (or was announced), one per report, as stored; an
    /// imported row's own claim comes before them. Read them through
    /// [`Situation::claim_ids`].
    pub claims: Vec<String>,
    /// Casualty figures as stored; an imported row's own comes before them. Read them
    /// through [`Situation::casualties_of`].
    pub casualties: Vec<Casualties>,
    /// Observation posts the event concerns.
    pub posts: Vec<String>,
    /// Another report of the same incident: kept as evidence, never counted twice.
    pub same_incident_as: Option<String>,
    /// The notes as read, while the event is staged; a stored event's notes are in the
    /// situation's [`NoteStore`] (see [`Event::note`]). Read them through
    /// [`Situation::notes`]. Here rather than in the event: an imported row's notes go
    /// straight into the store, and 24 bytes of an empty `String` a row were a fifth of it.
    pub notes: Option<String>,
}

/// The [`Written`] of an event that stores none.
static NOTHING_WRITTEN: Written = Written {
    by: Vec::new(),
    against: Vec::new(),
    summary: String::new(),
    claims: Vec::new(),
    casualties: Vec::new(),
    posts: Vec::new(),
    same_incident_as: None,
    notes: None,
};

impl Written {
    /// True when nothing is stored.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        // Field by field: comparing with `NOTHING_WRITTEN` called memcmp for each empty
        // field of every imported row (a third of the load's memcmp at 100k rows).
        let Written { by, against, summary, claims, casualties, posts, same_incident_as, notes } = self;
        by.is_empty()
            && against.is_empty()
            && summary.is_empty()
            && claims.is_empty()
            && casualties.is_empty()
            && posts.is_empty()
            && same_incident_as.is_none()
            && notes.is_none()
    }

    /// Boxed for an [`Event`]: `None` when nothing is stored, so that no allocation is made.
    #[must_use]
    pub fn boxed(self) -> Option<Box<Written>> {
        (!self.is_empty()).then(|| Box::new(self))
    }
}

/// An [`Event`] must stay small: a million of them are most of a large load.
const _: () = assert!(std::mem::size_of::<Event>() <= 80);

impl Event {
    /// What the event stores beyond its row (all empty when it stores nothing).
    #[must_use]
    pub fn written(&self) -> &Written {
        self.written.as_deref().unwrap_or(&NOTHING_WRITTEN)
    }

    /// What the event stores, to change; makes room for it the first time.
    pub fn written_mut(&mut self) -> &mut Written {
        self.written.get_or_insert_with(Box::default)
    }

    /// The notes as read, while the event is staged (see [`Written::notes`]).
    #[must_use]
    pub fn written_notes(&self) -> Option<&str> {
        self.written.as_deref().and_then(|w| w.notes.as_deref())
    }

    /// Stages the notes as read (`None`: none), making room only when there are some.
    pub fn set_written_notes(&mut self, notes: Option<String>) {
        match notes {
            Some(text) => self.written_mut().notes = Some(text),
            None => {
                let _ = self.take_written_notes();
            }
        }
    }

    /// Takes the staged notes out, dropping what the event stores when nothing else is.
    pub fn take_written_notes(&mut self) -> Option<String> {
        let w = self.written.as_deref_mut()?;
        let notes = w.notes.take();
        if w.is_empty() {
            self.written = None;
        }
        notes
    }
}

/// Events are equal when what they say is: a box of nothing written is no box at all.
impl PartialEq for Event {
    fn eq(&self, other: &Event) -> bool {
        self.id == other.id
            && self.date == other.date
            && self.precision == other.precision
            && self.end == other.end
            && self.status == other.status
            && self.kind == other.kind
            && self.place == other.place
            && self.geo_precision == other.geo_precision
            && self.note == other.note
            && self.row == other.row
            && self.written() == other.written()
    }
}

/// An event as our format writes it (docs/FORMAT.md), field by field in the order written:
/// read into an [`Event`], and written from one without a copy.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct EventRecord<'a> {
    id: Cow<'a, str>,
    date: Day,
    #[serde(default)]
    precision: DatePrecision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end: Option<Day>,
    #[serde(default)]
    status: EventStatus,
    kind: Kind,
    #[serde(default, skip_serializing_if = "is_empty_list")]
    by: Cow<'a, [String]>,
    #[serde(default, skip_serializing_if = "is_empty_list")]
    against: Cow<'a, [String]>,
    place: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    geo_precision: Option<GeoPrecision>,
    summary: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    notes: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "is_empty_list")]
    claims: Cow<'a, [String]>,
    #[serde(default, skip_serializing_if = "is_empty_list")]
    casualties: Cow<'a, [Casualties]>,
    #[serde(default, skip_serializing_if = "is_empty_list")]
    posts: Cow<'a, [String]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    same_incident_as: Option<Cow<'a, str>>,
}

fn is_empty_list<T>(list: &[T]) -> bool {
    list.is_empty()
}

impl From<EventRecord<'_>> for Event {
    fn from(r: EventRecord<'_>) -> Event {
        Event {
            id: r.id.into(),
            date: r.date,
            precision: r.precision,
            end: r.end,
            status: r.status,
            kind: r.kind,
            place: PlaceId::of(&r.place),
            geo_precision: r.geo_precision,
            note: None,
            row: None,
            written: Written {
                by: r.by.into_owned(),
                against: r.against.into_owned(),
                summary: r.summary.into_owned(),
                claims: r.claims.into_owned(),
                casualties: r.casualties.into_owned(),
                posts: r.posts.into_owned(),
                same_incident_as: r.same_incident_as.map(Cow::into_owned),
                notes: r.notes.map(Cow::into_owned),
            }
            .boxed(),
        }
    }
}

/// Written as stored: an imported row's claim, figure and summary are filled in by
/// [`Situation::event_record`] first.
impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let w = self.written();
        EventRecord {
            id: Cow::Borrowed(&self.id),
            date: self.date,
            precision: self.precision,
            end: self.end,
            status: self.status,
            kind: self.kind,
            by: Cow::Borrowed(&w.by),
            against: Cow::Borrowed(&w.against),
            place: Cow::Borrowed(&self.place),
            geo_precision: self.geo_precision,
            summary: Cow::Borrowed(&w.summary),
            notes: self.written_notes().map(Cow::Borrowed),
            claims: Cow::Borrowed(&w.claims),
            casualties: Cow::Borrowed(&w.casualties),
            posts: Cow::Borrowed(&w.posts),
            same_incident_as: w.same_incident_as.as_deref().map(Cow::Borrowed),
        }
        .serialize(serializer)
    }
}

/// What an ACLED row states, kept in its event instead of the claim and casualty figure
/// the row stands for (about 300 bytes a row, and one more allocation for the summary):
/// [`Situation::claim`], [`Situation::casualties_of`] and [`Event::summary`] make them
/// from this when asked, exactly as the import used to store them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowClaim {
    /// The source the row names, by position in [`Situation::sources`].
    pub source: u32,
    /// Where the claim stands among the stored ones (after the first `before`), and its
    /// number among the made ones: exports list all claims in the order they were read.
    pub before: u32,
    pub seq: u32,
    /// Fatalities as the row gives them; 0 makes a claim of none, and no figure.
    pub fatalities: u32,
    /// Where, in the notes, the phrase that makes the count a lower bound stands ("at least
    /// 12"): byte offset and length; length 0 when the count is exact. For a UCDP row
    /// (`summary` is [`RowSummary::Ucdp`]): its place in [`Situation::ucdp_rows`] (read it
    /// through [`RowClaim::ucdp_at`]).
    pub raw_at: u32,
    pub raw_len: u8,
    /// The dead are civilians (ACLED's civilian targeting), else of unknown affiliation.
    pub civilians: bool,
    /// The row's actor1 and actor2 by position in [`Situation::actors`] when it names no
    /// associates (`NO_ACTOR` for no actor2); `by` is `NO_ACTOR` when the actors are
    /// stored in [`Written::by`] and [`Written::against`] instead.
    pub by: u32,
    pub against: u32,
    /// How the summary is made: `None` when it is stored in the event. [`RowSummary::Ucdp`]
    /// also marks a UCDP GED row, whose best estimate is `fatalities`, whose sides are `by`
    /// and `against`, and whose other figures are a [`UcdpRow`] at `raw_at`.
    pub summary: Option<RowSummary>,
}

impl RowClaim {
    /// The row is a UCDP GED row.
    #[must_use]
    pub fn is_ucdp(&self) -> bool {
        self.summary == Some(RowSummary::Ucdp)
    }

    /// A UCDP row's place in [`Situation::ucdp_rows`].
    #[must_use]
    pub fn ucdp_at(&self) -> Option<usize> {
        self.is_ucdp().then_some(self.raw_at as usize)
    }
}

/// What a UCDP GED row states besides its best estimate, kept (in
/// [`Situation::ucdp_rows`], 24 bytes a row, so that an event of any kind stays small)
/// instead of its claims (one for the event, one per casualty figure) and figures, which
/// `crate::domain::ucdp` makes from this when asked, exactly as the import used to store
/// them. The row's best estimate is [`RowClaim::fatalities`]; side a and side b are
/// [`RowClaim::by`] and [`RowClaim::against`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UcdpRow {
    /// UCDP's low and high estimates as given (an odd row's may lie on the wrong side of
    /// best: the figures then count best, and the claim says so).
    pub low: u32,
    pub high: u32,
    /// UCDP's split of best among side a, side b and civilians; the rest is of unknown
    /// affiliation. Only when `split`.
    pub a: u32,
    pub b: u32,
    pub civilians: u32,
    pub violence: Violence,
    /// The row's event_clarity is 2: its claims are of low confidence.
    pub low_confidence: bool,
    /// The row splits its deaths by side (and the split adds up to best); otherwise one
    /// figure for all sides.
    pub split: bool,
}

/// UCDP's type of violence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Violence {
    StateBased,
    NonState,
    OneSided,
}

/// No actor, in [`RowClaim::by`] and [`RowClaim::against`].
pub const NO_ACTOR: u32 = u32::MAX;

/// The summary line of an imported row, made from its kind, place and first actors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowSummary {
    /// "{what} in {place}: {actor1}".
    OneSide,
    /// "{what} in {place}: {actor1} vs {actor2}".
    TwoSides,
    /// A UCDP GED row's: "{type of violence} in {place}: {side a} vs {side b}" ("against"
    /// for one-sided violence), or of side a alone.
    Ucdp,
}

impl Event {
    #[must_use]
    pub fn span(&self) -> DateSpan {
        DateSpan::new(self.date, self.precision, self.end)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeriesKind {
    /// Everyone who moved since the baseline date.
    Cumulative,
    /// How many are displaced on the as-of date.
    Stock,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesValue {
    pub as_of: Day,
    pub claims: Vec<String>,
    pub chosen: String,
}

/// Values of one source about one area from one baseline; a figure inside another's area is
/// `part_of` it and is never added to it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DisplacementSeries {
    pub id: String,
    pub area: String,
    pub source: String,
    pub kind: SeriesKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Day>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    pub values: Vec<SeriesValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PostStatus {
    Established,
    UnderConstruction,
    Held,
    Reinforced,
    /// Shelled, struck or assaulted, and still held as far as the report says.
    Attacked,
    Encircled,
    Besieged,
    Evacuated,
}

impl PostStatus {
    pub const ALL: &'static [PostStatus] = &[
        PostStatus::Established,
        PostStatus::UnderConstruction,
        PostStatus::Held,
        PostStatus::Reinforced,
        PostStatus::Attacked,
        PostStatus::Encircled,
        PostStatus::Besieged,
        PostStatus::Evacuated,
    ];

    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            PostStatus::Established => "established",
            PostStatus::UnderConstruction => "under_construction",
            PostStatus::Held => "held",
            PostStatus::Reinforced => "reinforced",
            PostStatus::Attacked => "attacked",
            PostStatus::Encircled => "encircled",
            PostStatus::Besieged => "besieged",
            PostStatus::Evacuated => "evacuated",
        }
    }

    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            PostStatus::UnderConstruction => "under construction",
            other => other.id(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PostStatusChange {
    pub date: Day,
    #[serde(default)]
    pub precision: DatePrecision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Day>,
    pub status: PostStatus,
    /// The claims that back the change, as stored; a change read from an event's notes keeps
    /// its claim in `read` instead. Read them through [`Situation::change_claims`].
    #[serde(rename = "claims")]
    pub written_claims: Vec<String>,
    /// Read it through [`Situation::change_note`].
    #[serde(rename = "note", default, skip_serializing_if = "Option::is_none")]
    pub written_note: Option<String>,
    /// The change's claim when it was read from an event's notes: its number in
    /// [`Situation::read`] (see `domain/read_claims.rs`).
    #[serde(skip)]
    pub read: Option<u32>,
}

impl PostStatusChange {
    #[must_use]
    pub fn span(&self) -> DateSpan {
        DateSpan::new(self.date, self.precision, self.end)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ObservationPost {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alt_names: Vec<String>,
    /// Actor id of the force that runs it.
    pub operator: String,
    /// The place it is listed under.
    pub place: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coord_confidence: Option<Confidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    /// Claims about the framework, including ones that disagree.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub framework_claims: Vec<String>,
    /// Status changes in date order, each backed by claims.
    pub history: Vec<PostStatusChange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A text of a read claim: a span of its event's notes, or of [`ReadClaims::text`] (`at`'s
/// top bit set); none when `at` is `u32::MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRef {
    pub(crate) at: u32,
    pub(crate) len: u32,
}

/// In [`TextRef::at`]: the text is in [`ReadClaims::text`].
pub(crate) const IN_TEXT: u32 = 1 << 31;

/// A count as the reader read it, with its phrase as a [`TextRef`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadCount {
    pub(crate) best: u64,
    pub(crate) low: Option<u64>,
    pub(crate) high: Option<u64>,
    pub(crate) qualifier: Qualifier,
    pub(crate) raw: TextRef,
}

/// One claim read from an event's notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadClaim {
    /// The event's note (its handle in the note store: it moves with the event).
    pub note: u32,
    /// A status of this post (by position in [`Situation::posts`]), or a casualty claim
    /// when `None`.
    pub post: Option<(u32, PostStatus)>,
    /// The reader's statement (a casualty claim) or the post's name as the notes give it.
    pub(crate) statement: TextRef,
    pub(crate) count: Option<u32>,
    pub(crate) unit: TextRef,
    pub(crate) quote: TextRef,
    pub(crate) span: Option<[u32; 2]>,
    pub(crate) context: TextRef,
}

/// The claims of one event, in [`ReadClaims::claims`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadEvent {
    pub note: u32,
    /// Where the event was when last looked for (kept by `reindex`); checked before use.
    pub at: u32,
    pub first: u32,
    pub len: u32,
}

/// Every claim read from events' notes by the notes reader, kept as a few numbers each
/// (`domain/read_claims.rs` makes them into claims, and adds them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadClaims {
    /// By note, ascending.
    pub(crate) events: Vec<ReadEvent>,
    /// In the order they were read: events in order, each event's claims in its order.
    pub(crate) claims: Vec<ReadClaim>,
    pub(crate) counts: Vec<ReadCount>,
    /// What the reader wrote that is not in the notes, each text once.
    pub(crate) text: String,
    /// How many stored claims there were when each batch was read (exports list read claims
    /// after the stored claims before them): (first read claim of the batch, stored claims).
    pub(crate) batches: Vec<(u32, u32)>,
    /// One bit per note with claims, and the bits set before each word: the position in
    /// `events` of a note's claims with no search.
    pub(crate) bits: Vec<u64>,
    pub(crate) ranks: Vec<u32>,
}

/// Everything loaded from one or more files, with look-up tables by id.
#[derive(Debug, Clone, Default)]
pub struct Situation {
    pub title: String,
    pub as_of: Option<Day>,
    pub description: Option<String>,
    pub sources: Vec<Source>,
    pub actors: Vec<Actor>,
    pub places: Vec<Place>,
    pub claims: Vec<Claim>,
    /// Sorted by start date, precision and end; ties keep the order of the input.
    pub events: Vec<Event>,
    pub displacement: Vec<DisplacementSeries>,
    pub posts: Vec<ObservationPost>,
    /// Every stored event's notes, held once (see [`Situation::store_notes`]).
    pub note_store: NoteStore,
    /// The claims read from events' notes by the notes reader, kept compactly and made
    /// when asked (see `domain/read_claims.rs`).
    pub read: ReadClaims,
    /// The figures of UCDP GED rows, by [`RowClaim::ucdp_at`].
    pub ucdp_rows: Vec<UcdpRow>,
    pub index: Index,
}

/// Position by id; FxHash, since ids are ours and hashing them is most of a load's lookups.
pub type IdMap = rustc_hash::FxHashMap<String, usize>;

/// Position by id for the two collections that grow with the data (events and claims): only
/// positions are stored, and a look-up compares the id with the record's own, so the map
/// holds no copies of a million ids (about 100 bytes an event, and two million allocations
/// a load, saved). The records are passed to each call, with how to read their id: an
/// import keeps its events' table over the staged records, validation checks ids with it,
/// and the situation's index takes it over (moved with the events' sort), so that a large
/// load hashes each id once rather than three times.
#[derive(Clone, Default)]
pub struct Positions {
    table: hashbrown::HashTable<u32>,
}

impl fmt::Debug for Positions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Positions({} ids)", self.table.len())
    }
}

fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
}

/// Whether a slot of a [`Positions`] table holds the record whose id is `key`.
fn holds<'a, T>(items: &'a [T], id: &'a impl Fn(&T) -> &str, key: &'a str) -> impl Fn(&u32) -> bool + 'a {
    move |&j| items.get(j as usize).is_some_and(|item| id(item) == key)
}

/// The hash of the record a slot of a [`Positions`] table holds, for the table to grow.
fn rehash<'a, T>(items: &'a [T], id: &'a impl Fn(&T) -> &str) -> impl Fn(&u32) -> u64 + 'a {
    move |&j| id_hash(id(&items[j as usize]))
}

impl Positions {
    /// The positions of `items` by `id`; of records sharing an id, the last.
    pub fn of<T>(items: &[T], id: impl Fn(&T) -> &str) -> Positions {
        let mut positions = Positions { table: hashbrown::HashTable::with_capacity(items.len()) };
        for i in 0..items.len() {
            positions.insert(items, &id, i);
        }
        positions
    }

    /// How many ids are held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.table.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The position of the record of `items` whose id is `key`.
    pub fn find<T>(&self, items: &[T], id: impl Fn(&T) -> &str, key: &str) -> Option<usize> {
        self.table.find(id_hash(key), holds(items, &id, key)).map(|&j| j as usize)
    }

    /// Counts the record at `at` under its id, in place of an earlier record with it.
    pub fn insert<T>(&mut self, items: &[T], id: impl Fn(&T) -> &str, at: usize) {
        let (Some(item), Ok(position)) = (items.get(at), u32::try_from(at)) else { return };
        let key = id(item);
        let hash = id_hash(key);
        match self.table.find_mut(hash, holds(items, &id, key)) {
            Some(slot) => *slot = position,
            None => {
                self.table.insert_unique(hash, position, rehash(items, &id));
            }
        }
    }

    /// Counts the record at `at` under its id unless a record with it is held: then the
    /// table is left as it is and that record's position returned (the first one kept).
    pub fn insert_first<T>(&mut self, items: &[T], id: impl Fn(&T) -> &str, at: usize) -> Option<usize> {
        let (Some(item), Ok(position)) = (items.get(at), u32::try_from(at)) else { return None };
        let key = id(item);
        let hash = id_hash(key);
        if let Some(&j) = self.table.find(hash, holds(items, &id, key)) {
            return Some(j as usize);
        }
        self.table.insert_unique(hash, position, rehash(items, &id));
        None
    }

    /// Makes room for `more` ids: growing the table as ids come rehashes every id held, each
    /// read from its record.
    pub fn reserve<T>(&mut self, items: &[T], id: impl Fn(&T) -> &str, more: usize) {
        self.table.reserve(more, rehash(items, &id));
    }

    /// The records moved: the one at `j` is now at `now[j]`. Their ids, and so their hashes,
    /// are unchanged, so nothing is hashed again.
    fn moved(&mut self, now: &[u32]) {
        for slot in &mut self.table {
            *slot = now[*slot as usize];
        }
    }
}

/// Positions by id in each collection of a [`Situation`].
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub sources: IdMap,
    pub actors: IdMap,
    pub places: IdMap,
    claims: Positions,
    events: Positions,
    pub series: IdMap,
    pub posts: IdMap,
}

fn positions<T>(items: &[T], id: impl Fn(&T) -> &str) -> IdMap {
    let mut map = IdMap::with_capacity_and_hasher(items.len(), rustc_hash::FxBuildHasher);
    map.extend(items.iter().enumerate().map(|(i, item)| (id(item).to_string(), i)));
    map
}

/// Puts `items[order[k]]` at position `k`, in place: a million events are moved by swaps
/// along the permutation's cycles rather than copied into a second vector.
fn permute<T>(items: &mut [T], order: &[u32]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        if placed[start] {
            continue;
        }
        // Walk the cycle through `start`: position `at` takes the item from `order[at]`.
        let mut at = start;
        loop {
            placed[at] = true;
            let from = order[at] as usize;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

impl Situation {
    /// An event's notes as written: from the note store once stored, else as staged.
    #[must_use]
    pub fn notes<'a>(&'a self, e: &'a Event) -> Option<Cow<'a, str>> {
        match e.note {
            Some(note) => Some(self.note_store.text(note)),
            None => e.written_notes().map(Cow::Borrowed),
        }
    }

    /// Moves every staged event's notes into the note store, where they are held once:
    /// folded for the search, with what restores them as written. Large data is folded on
    /// two cores, each half into a store of its own, joined in event order. Notes already
    /// stored (an imported row's, stored as the row was read) stay where they are, in the
    /// order of the file: the search walks the store in its own order (see
    /// `SearchIndex::text_hits_among`), so copying them into the order of the events would
    /// only hold the notes twice at the load's peak.
    pub fn store_notes(&mut self) {
        // Below this, a second thread costs more than it saves.
        const PARALLEL: usize = 50_000;
        /// Stores the notes of `events` in `into`, whose handles become `base` on.
        fn store(events: &mut [Event], into: &mut NoteStore, base: u32) {
            for e in events {
                if let Some(text) = e.take_written_notes() {
                    let Note(k) = into.push(&text);
                    e.note = Some(Note(base + k));
                }
            }
        }
        /// How many notes are staged, and their bytes.
        fn staged(events: &[Event]) -> (usize, usize) {
            events.iter().filter_map(Event::written_notes).fold((0, 0), |(n, b), t| (n + 1, b + t.len()))
        }
        let base = u32::try_from(self.note_store.len()).unwrap_or(u32::MAX);
        let n = self.events.len();
        if n > PARALLEL {
            let (first, second) = self.events.split_at_mut(n / 2);
            let ((first_notes, first_bytes), (second_notes, second_bytes)) = (staged(first), staged(second));
            // Room for both halves where they are joined, so that joining copies only the
            // second.
            self.note_store.reserve(first_notes + second_notes, first_bytes + second_bytes);
            let mut later = NoteStore::default();
            later.reserve(second_notes, second_bytes);
            let store_first = &mut self.note_store;
            // The later half's notes follow the first half's once joined.
            let base_later = base + u32::try_from(first_notes).unwrap_or(u32::MAX);
            std::thread::scope(|scope| {
                let later = &mut later;
                scope.spawn(move || store(second, later, base_later));
                // The store's own handles already count the notes it holds.
                store(first, store_first, 0);
            });
            self.note_store.append(&later);
        } else {
            let (notes, bytes) = staged(&self.events);
            self.note_store.reserve(notes, bytes);
            store(&mut self.events, &mut self.note_store, 0);
        }
    }

    /// Sorts events by date and rebuilds the look-up tables; call after changing collections.
    pub fn reindex(&mut self) {
        self.reindex_given(None);
    }

    /// [`Situation::reindex`], given the events' positions by id as they are before the sort
    /// when they are known (a load's import and validation made them): they are moved with
    /// the events rather than made again. They must hold each event, and only the events,
    /// under its own id.
    pub fn reindex_given(&mut self, event_ids: Option<Positions>) {
        let event_ids = event_ids.filter(|p| p.len() == self.events.len());
        // Sort small keys, then move each event once: comparing ids and moving whole events
        // in the sort was a sixth of a large load. Ties keep the order of the input.
        let mut keys: Vec<(Day, DatePrecision, Option<Day>, u32)> =
            self.events.iter().enumerate().map(|(i, e)| (e.date, e.precision, e.end, i as u32)).collect();
        let mut moved = None;
        if !keys.is_sorted() {
            keys.sort_unstable();
            let order: Vec<u32> = keys.iter().map(|k| k.3).collect();
            drop(keys);
            permute(&mut self.events, &order);
            moved = Some(order);
        }
        let events = |events: &[Event]| match event_ids {
            Some(mut given) => {
                if let Some(order) = moved {
                    // The event at `order[k]` is now at `k`.
                    let mut now = vec![0; order.len()];
                    for (k, &j) in order.iter().enumerate() {
                        now[j as usize] = k as u32;
                    }
                    given.moved(&now);
                }
                debug_assert!(
                    events.iter().enumerate().all(|(i, e)| given.find(events, |e: &Event| &e.id, &e.id) == Some(i)),
                    "the positions given hold each event under its own id"
                );
                given
            }
            None => Positions::of(events, |e: &Event| &e.id),
        };
        // The two large maps (events and their claims) are built side by side.
        let (events, claims) = std::thread::scope(|scope| {
            let claims = scope.spawn(|| Positions::of(&self.claims, |c: &Claim| &c.id));
            let events = events(&self.events);
            (events, claims.join().unwrap_or_default())
        });
        self.index_with(events, claims);
    }

    /// Makes the index from the events' and claims' positions given, the smaller maps
    /// built here; claims read from notes then find their events where they now are.
    fn index_with(&mut self, events: Positions, claims: Positions) {
        self.index = Index {
            sources: positions(&self.sources, |s| &s.id),
            actors: positions(&self.actors, |a| &a.id),
            places: positions(&self.places, |p| &p.id),
            claims,
            events,
            series: positions(&self.displacement, |s| &s.id),
            posts: positions(&self.posts, |p| &p.id),
        };
        self.read.relocate(&self.events);
    }

    /// [`Situation::reindex`] after records other than events were added or changed (claims,
    /// posts, actors, sources): the events stay where they are, and so does their index,
    /// which at a million events is most of the work.
    pub fn reindex_records(&mut self) {
        // An index that does not hold each event once (never built, or built before events
        // came) is built whole.
        if self.index.events.table.len() != self.events.len() {
            self.reindex();
            return;
        }
        let events = std::mem::take(&mut self.index.events);
        let claims = Positions::of(&self.claims, |c: &Claim| &c.id);
        self.index_with(events, claims);
    }

    /// The position of the claim with this id.
    #[must_use]
    pub fn claim_index(&self, id: &str) -> Option<usize> {
        self.index.claims.find(&self.claims, |c| &c.id, id)
    }

    /// The position of the event with this id.
    #[must_use]
    pub fn event_index(&self, id: &str) -> Option<usize> {
        self.index.events.find(&self.events, |e| &e.id, id)
    }

    #[must_use]
    pub fn place(&self, id: &str) -> Option<&Place> {
        self.index.places.get(id).map(|&i| &self.places[i])
    }

    #[must_use]
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.index.sources.get(id).map(|&i| &self.sources[i])
    }

    #[must_use]
    pub fn post(&self, id: &str) -> Option<&ObservationPost> {
        self.index.posts.get(id).map(|&i| &self.posts[i])
    }

    /// The readable name of an actor id, or the id itself.
    #[must_use]
    pub fn actor_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.index.actors.get(id).map_or(id, |&i| self.actors[i].name.as_str())
    }

    #[must_use]
    pub fn place_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.place(id).map_or(id, |p| p.name.as_str())
    }

    /// True when `inner` is `outer` or lies inside it through `part_of` links.
    #[must_use]
    pub fn place_within(&self, inner: &str, outer: &str) -> bool {
        let mut current = Some(inner);
        // Bounded walk: a cycle in bad data cannot loop forever.
        for _ in 0..=self.places.len() {
            match current {
                Some(id) if id == outer => return true,
                Some(id) => current = self.place(id).and_then(|p| p.part_of.as_deref()),
                None => return false,
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::{Event, Written, permute};

    /// Every field our format has for an event, in the order it writes them.
    const FULL: &str = concat!(
        r#"{"id":"e1","date":"2020-02-06","precision":"week","end":"2020-02-09","status":"announced","#,
        r#""kind":"air_drone_strike","by":["a","b"],"against":["c"],"place":"town","geo_precision":"near_town","#,
        r#""summary":"A strike","notes":"what the source says","claims":["c1"],"#,
        r#""casualties":[{"group":"civilians","outcome":"killed","claims":["c1"],"chosen":"c1"}],"#,
        r#""posts":["op1"],"same_incident_as":"e0"}"#
    );

    #[test]
    fn an_event_is_written_back_byte_for_byte() {
        let event: Event = serde_json::from_str(FULL).unwrap();
        let w = event.written();
        assert_eq!((w.by.len(), w.against.len(), w.summary.as_str()), (2, 1, "A strike"));
        assert_eq!((w.claims.as_slice(), w.posts.as_slice()), (&["c1".to_string()][..], &["op1".to_string()][..]));
        assert_eq!((w.casualties[0].chosen.as_str(), w.same_incident_as.as_deref()), ("c1", Some("e0")));
        assert_eq!(serde_json::to_string(&event).unwrap(), FULL);
        // The least an event can say: defaults are written, empty lists and absent options are not.
        let least = r#"{"id":"e2","date":"2020-02-06","kind":"attack","place":"town","summary":"S"}"#;
        let event: Event = serde_json::from_str(least).unwrap();
        assert_eq!(
            serde_json::to_string(&event).unwrap(),
            r#"{"id":"e2","date":"2020-02-06","precision":"day","status":"occurred","kind":"attack","place":"town","summary":"S"}"#
        );
    }

    #[test]
    fn an_event_is_read_with_the_messages_of_before() {
        let unknown = FULL.replace(r#""posts""#, r#""post""#);
        let err = serde_json::from_str::<Event>(&unknown).unwrap_err().to_string();
        assert!(err.starts_with("unknown field `post`, expected one of `id`, `date`, `precision`, `end`, `status`, `kind`, `by`, `against`, `place`, `geo_precision`, `summary`, `notes`, `claims`, `casualties`, `posts`, `same_incident_as`"), "{err}");
        let err = serde_json::from_str::<Event>(r#"{"id":"e","date":"2020-02-06","kind":"attack","place":"t"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("missing field `summary`"), "{err}");
    }

    #[test]
    fn an_event_that_writes_nothing_beyond_its_row_has_no_box() {
        let mut event: Event =
            serde_json::from_str(r#"{"id":"e","date":"2020-02-06","kind":"attack","place":"t","summary":""}"#).unwrap();
        assert!(event.written.is_none() && event.written().is_empty());
        let plain = event.clone();
        // A box of nothing says what no box says.
        event.written_mut().posts.push("op".into());
        assert_ne!(event, plain);
        event.written_mut().posts.clear();
        assert!(event.written.is_some());
        assert_eq!(event, plain);
        assert!(Written::default().boxed().is_none());
        assert!(Written { summary: "S".into(), ..Written::default() }.boxed().is_some());
    }

    #[test]
    fn permute_puts_each_item_where_the_order_says() {
        // Every permutation of five items, against the obvious copy.
        let mut order: Vec<u32> = (0..5).collect();
        let mut count = 0;
        loop {
            let mut items: Vec<u32> = (10..15).collect();
            let expected: Vec<u32> = order.iter().map(|&o| 10 + o).collect();
            permute(&mut items, &order);
            assert_eq!(items, expected, "order {order:?}");
            count += 1;
            // Next permutation in lexicographic order.
            let Some(i) = (0..4).rev().find(|&i| order[i] < order[i + 1]) else { break };
            let j = (i + 1..5).rev().find(|&j| order[j] > order[i]).unwrap();
            order.swap(i, j);
            order[i + 1..].reverse();
        }
        assert_eq!(count, 120);
    }
}
