//! The words the reader looks for: what kind of event a clause reports, what makes a number
//! a victim count or a count of the displaced, what makes a clause background, negated or
//! yet to come, and what a post's status change sounds like.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::domain::model::PostStatus;
use crate::ingest::extract::text::Word;

/// What a trigger phrase says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    Chemical,
    Suicide,
    Explosive,
    Grenade,
    Air,
    Shelling,
    Sexual,
    Abduction,
    Protest,
    ProtestForce,
    ProtestIntervention,
    Riot,
    Mob,
    Capture,
    Clash,
    Violence,
    Looting,
    Arrest,
    Agreement,
    GroupChange,
    Disrupted,
    Base,
    Transfer,
    Deploy,
    Talks,
    Patrol,
    Encircle,
    Crime,
    Disaster,
}

const CUES: &[(Cue, &[&str])] = &[
    (
        Cue::Chemical,
        &[
            "chemical attack",
            "chemical weapons",
            "chemical weapon",
            "chlorine gas",
            "sarin",
            "nerve agent",
            "toxic gas",
            "poison gas",
            "mustard gas",
        ],
    ),
    (
        Cue::Suicide,
        &[
            "suicide bomber",
            "suicide bombers",
            "suicide bombing",
            "suicide attack",
            "suicide car bomb",
            "blew himself up",
            "blew herself up",
            "blew themselves up",
            "explosive vest",
            "explosive belt",
            "suicide vest",
        ],
    ),
    (
        Cue::Explosive,
        &[
            "roadside bomb",
            "ied",
            "improvised explosive",
            "landmine",
            "landmines",
            "land mine",
            "car bomb",
            "bomb exploded",
            "bomb went off",
            "explosive device",
            "booby-trapped",
            "booby trap",
            "mine blast",
            "stepped on a mine",
            "bomb blast",
            "blast",
            "explosion",
            "explosions",
            "bombing",
            "bomb attack",
            "sticky bomb",
            "magnetic bomb",
            "unexploded ordnance",
        ],
    ),
    (Cue::Grenade, &["grenade", "grenades", "hand grenade"]),
    (
        Cue::Air,
        &[
            "air strike",
            "air strikes",
            "airstrike",
            "airstrikes",
            "air raid",
            "air raids",
            "drone strike",
            "drone strikes",
            "drone attack",
            "drone attacks",
            "warplanes",
            "warplane",
            "fighter jets",
            "jets",
            "aerial bombardment",
            "barrel bomb",
            "barrel bombs",
            "helicopter gunship",
            "helicopter gunships",
            "bombers",
            "kamikaze drone",
            "drones",
            "drone",
            "kamikaze drones",
            "drones struck",
            "aircraft struck",
            "air attack",
        ],
    ),
    (
        Cue::Shelling,
        &[
            "shelling",
            "shelled",
            "shells",
            "mortar",
            "mortars",
            "artillery",
            "rocket",
            "rockets",
            "missile",
            "missiles",
            "bombardment",
            "shell",
            "rocket fire",
            "cluster munitions",
            "howitzer",
            "katyusha",
            "ballistic missile",
            "cruise missile",
            "projectile",
            "projectiles",
        ],
    ),
    (Cue::Sexual, &["raped", "rape", "sexual violence", "sexually assaulted", "sexual assault", "gang-raped"]),
    (
        Cue::Abduction,
        &[
            "abducted",
            "abduction",
            "kidnapped",
            "kidnapping",
            "kidnap",
            "taken hostage",
            "took hostage",
            "held hostage",
            "forcibly disappeared",
            "enforced disappearance",
            "seized hostages",
        ],
    ),
    (
        Cue::Protest,
        &[
            "protest",
            "protests",
            "protested",
            "protesting",
            "protesters",
            "protestors",
            "demonstration",
            "demonstrations",
            "demonstrators",
            "demonstrated",
            "rallied",
            "rally",
            "rallies",
            "marched",
            "march",
            "sit-in",
            "took to the streets",
            "took to the street",
            "vigil",
            "picketed",
            "walkout",
        ],
    ),
    (
        Cue::ProtestForce,
        &[
            "opened fire on protesters",
            "live ammunition",
            "live rounds",
            "fired on protesters",
            "fired on demonstrators",
            "opened fire on demonstrators",
            "shot dead protesters",
        ],
    ),
    (
        Cue::ProtestIntervention,
        &[
            "tear gas",
            "teargas",
            "dispersed",
            "water cannon",
            "water cannons",
            "rubber bullets",
            "broke up",
            "baton",
            "batons",
            "charged the crowd",
            "beat protesters",
            "detained protesters",
            "arrested protesters",
            "stun grenades",
        ],
    ),
    (
        Cue::Riot,
        &[
            "riot",
            "riots",
            "rioting",
            "rioters",
            "threw stones",
            "hurled stones",
            "pelted",
            "torched",
            "set fire to",
            "set ablaze",
            "smashed",
            "vandalised",
            "vandalized",
            "burned tyres",
            "burning tyres",
            "molotov",
            "petrol bombs",
            "clashed with police",
        ],
    ),
    (Cue::Mob, &["mob", "lynched", "lynching", "mob justice", "vigilante", "vigilantes"]),
    (
        Cue::Capture,
        &[
            "seized",
            "captured",
            "recaptured",
            "retook",
            "retaken",
            "retaken control",
            "taken over",
            "regained",
            "took control",
            "taken control",
            "took over",
            "overran",
            "overrun",
            "gained control",
            "seized control",
            "wrested",
            "liberated",
            "advanced into",
            "entered",
        ],
    ),
    (
        Cue::Clash,
        &[
            "clashes",
            "clashed",
            "clash",
            "fighting",
            "fought",
            "battle",
            "battles",
            "battled",
            "gun battle",
            "firefight",
            "exchanged fire",
            "exchange of fire",
            "ambush",
            "ambushed",
            "skirmish",
            "skirmishes",
            "retaliatory fire",
            "return fire",
            "returned fire",
            "assault on",
            "offensive on",
        ],
    ),
    (
        Cue::Violence,
        &[
            "killed",
            "killing",
            "kills",
            "shot dead",
            "gunned down",
            "opened fire",
            "shot",
            "attacked",
            "attack",
            "attacks",
            "massacre",
            "massacred",
            "executed",
            "beheaded",
            "stabbed",
            "hacked",
            "murdered",
            "raided",
            "wounded",
            "injured",
            "beaten",
            "tortured",
        ],
    ),
    (
        Cue::Looting,
        &[
            "looted",
            "looting",
            "plundered",
            "pillaged",
            "ransacked",
            "burned down",
            "burnt down",
            "razed",
            "demolished",
            "destroyed homes",
            "destroyed houses",
            "bulldozed",
        ],
    ),
    (
        Cue::Arrest,
        &[
            "arrested",
            "detained",
            "rounded up",
            "arrests",
            "arrest campaign",
            "taken into custody",
            "apprehended",
            "arrest warrant",
            "raids and arrests",
        ],
    ),
    (
        Cue::Agreement,
        &[
            "signed an agreement",
            "signed a deal",
            "signed a ceasefire",
            "agreed to",
            "agreed on",
            "agreed a",
            "reached an agreement",
            "reached a deal",
            "brokered",
            "truce",
            "peace deal",
            "peace agreement",
            "ceasefire agreement",
            "ceasefire took effect",
            "ceasefire came into effect",
            "prisoner exchange",
            "prisoner swap",
            "exchanged prisoners",
            "memorandum of understanding",
            "accord",
        ],
    ),
    (
        Cue::GroupChange,
        &[
            "merged",
            "merger",
            "announced the formation",
            "formed a new",
            "disbanded",
            "dissolved",
            "split from",
            "pledged allegiance",
            "new leader",
            "named a new",
            "appointed a new",
            "defected",
            "rebranded",
            "joined forces",
        ],
    ),
    (
        Cue::Disrupted,
        &[
            "defused",
            "dismantled a bomb",
            "dismantled an explosive",
            "weapons cache",
            "arms cache",
            "seized weapons",
            "seized arms",
            "intercepted",
            "shot down",
            "foiled",
            "thwarted",
            "bomb disposal",
            "cleared mines",
            "demined",
        ],
    ),
    (
        Cue::Base,
        &[
            "set up a",
            "set up an",
            "set up new",
            "established a",
            "established an",
            "established new",
            "building a new",
            "built a new",
            "constructing a new",
            "new observation post",
            "new base",
            "new military base",
            "new position",
            "new positions",
            "opened a base",
            "under construction",
            "being built",
        ],
    ),
    (
        Cue::Transfer,
        &[
            "handed over",
            "handed control",
            "withdrew from",
            "pulled out of",
            "pulled out from",
            "vacated",
            "without a fight",
            "without resistance",
            "took over without",
            "evacuated",
            "withdrawn from",
            "withdrawal from",
        ],
    ),
    (
        Cue::Deploy,
        &[
            "sent",
            "sends",
            "dispatched",
            "dispatches",
            "deployed",
            "deploys",
            "rushed",
            "reinforcements",
            "convoy",
            "reinforced",
            "build-up",
            "buildup",
            "mobilised",
            "mobilized",
            "massed",
        ],
    ),
    (
        Cue::Talks,
        &[
            "talks",
            "delegation",
            "negotiations",
            "summit",
            "met with",
            "held talks",
            "peace talks",
            "visit",
            "mediation",
        ],
    ),
    (Cue::Patrol, &["patrols", "patrol", "joint patrol", "joint patrols"]),
    (Cue::Encircle, &["encircled", "surrounded", "besieged", "under siege", "cut off", "laid siege", "encircle"]),
    (
        Cue::Crime,
        &[
            "robbery",
            "robbers",
            "burglary",
            "burglar",
            "theft",
            "thief",
            "thieves",
            "shoplifting",
            "fraud",
            "traffic accident",
            "car crash",
            "road accident",
            "drunk",
            "domestic dispute",
            "drug dealer",
            "drug dealers",
            "smuggling",
            "embezzlement",
            "speeding",
            "murder trial",
            "court sentenced",
            "jailed for",
            "hunting accident",
            "burglaries",
            "robberies",
            "thefts",
            "car accident",
            "bus crash",
            "overturned",
            "collided",
            "sentenced",
        ],
    ),
    (
        Cue::Disaster,
        &[
            "flood",
            "floods",
            "flooding",
            "earthquake",
            "quake",
            "landslide",
            "cyclone",
            "hurricane",
            "typhoon",
            "storm",
            "wildfire",
            "drought",
            "epidemic",
            "outbreak",
            "cholera",
            "measles",
            "pandemic",
            "virus",
            "heatwave",
            "avalanche",
            "tsunami",
            "fire at",
            "blaze",
            "collapsed",
            "building collapse",
            "drowned",
            "electrocuted",
        ],
    ),
];

/// Military things that make "sent"/"dispatched" a deployment.
pub const DEPLOY_OBJECTS: &[&str] = &[
    "troops",
    "soldiers",
    "vehicles",
    "tanks",
    "commandos",
    "reinforcements",
    "convoy",
    "ammunition",
    "weapons",
    "armoured",
    "armored",
    "forces",
    "equipment",
    "artillery",
    "units",
    "battalion",
    "battalions",
    "fighters",
    "warships",
    "jets",
    "personnel",
    "howitzers",
];

/// A phrase list by first word, longest first.
pub struct PhraseTable<T: Copy> {
    by_first: FxHashMap<String, Vec<(Vec<String>, T)>>,
}

impl<T: Copy> PhraseTable<T> {
    #[must_use]
    pub fn new(entries: impl IntoIterator<Item = (String, T)>) -> PhraseTable<T> {
        let mut by_first: FxHashMap<String, Vec<(Vec<String>, T)>> = FxHashMap::default();
        for (phrase, value) in entries {
            let words: Vec<String> =
                crate::ingest::extract::text::words(&phrase, 0, phrase.len()).into_iter().map(|w| w.lower).collect();
            if let Some(first) = words.first().cloned() {
                by_first.entry(first).or_default().push((words, value));
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
        PhraseTable { by_first }
    }

    /// The longest phrase starting at word `i`: (value, one past its last word).
    pub fn at(&self, ws: &[Word], i: usize) -> Option<(T, usize)> {
        let list = self.by_first.get(&ws.get(i)?.lower)?;
        list.iter()
            .find(|(words, _)| words.iter().enumerate().all(|(k, w)| ws.get(i + k).is_some_and(|x| &x.lower == w)))
            .map(|(words, v)| (*v, i + words.len()))
    }

    /// Every phrase in `ws[from..to]`, left to right, none overlapping: (value, first, end).
    pub fn all(&self, ws: &[Word], from: usize, to: usize) -> Vec<(T, usize, usize)> {
        let mut out = Vec::new();
        let mut i = from;
        while i < to.min(ws.len()) {
            match self.at(ws, i) {
                Some((v, end)) if end <= to => {
                    out.push((v, i, end));
                    i = end;
                }
                _ => i += 1,
            }
        }
        out
    }
}

#[must_use]
pub fn cues() -> &'static PhraseTable<Cue> {
    static T: OnceLock<PhraseTable<Cue>> = OnceLock::new();
    T.get_or_init(|| {
        PhraseTable::new(CUES.iter().flat_map(|&(cue, phrases)| phrases.iter().map(move |p| ((*p).to_string(), cue))))
    })
}

/// What a victim word says happened to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Harm {
    Killed,
    Injured,
}

/// Verbs before a number: "killed 10", "wounding 5".
pub const HARM_BEFORE: &[(&str, Harm)] = &[
    ("killed", Harm::Killed),
    ("killing", Harm::Killed),
    ("kills", Harm::Killed),
    ("kill", Harm::Killed),
    ("claimed", Harm::Killed),
    ("massacred", Harm::Killed),
    ("executed", Harm::Killed),
    ("wounded", Harm::Injured),
    ("wounding", Harm::Injured),
    ("wounds", Harm::Injured),
    ("injured", Harm::Injured),
    ("injuring", Harm::Injured),
    ("injures", Harm::Injured),
    ("hurt", Harm::Injured),
    ("hurting", Harm::Injured),
    ("dead", Harm::Killed),
    ("lynched", Harm::Killed),
    ("beheaded", Harm::Killed),
    ("murdered", Harm::Killed),
    ("maimed", Harm::Injured),
];

/// Words after a number (and its noun): "10 civilians were killed", "5 dead".
pub const HARM_AFTER: &[(&str, Harm)] = &[
    ("killed", Harm::Killed),
    ("dead", Harm::Killed),
    ("died", Harm::Killed),
    ("slain", Harm::Killed),
    ("perished", Harm::Killed),
    ("lost", Harm::Killed),
    ("fatalities", Harm::Killed),
    ("deaths", Harm::Killed),
    ("executed", Harm::Killed),
    ("massacred", Harm::Killed),
    ("shot", Harm::Killed),
    ("wounded", Harm::Injured),
    ("injured", Harm::Injured),
    ("hurt", Harm::Injured),
    ("injuries", Harm::Injured),
    ("treated", Harm::Injured),
    ("hospitalised", Harm::Injured),
    ("hospitalized", Harm::Injured),
];

/// Words that may stand between a victim noun and what happened ("were reportedly killed").
pub const AUXILIARIES: &[&str] = &[
    "were",
    "was",
    "have",
    "has",
    "had",
    "been",
    "are",
    "is",
    "being",
    "reportedly",
    "also",
    "later",
    "all",
    "allegedly",
    "confirmed",
    "now",
    "both",
    "then",
    "subsequently",
    "eventually",
    "among",
    "them",
    "of",
    "who",
    "in",
    "total",
    "may",
    "might",
    "could",
    "feared",
    "believed",
    "thought",
    "be",
];

/// Nouns for people, and the group they put a victim in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonKind {
    Civilian,
    Unknown,
    Force,
    Fighter,
    Protester,
}

pub const PERSON_NOUNS: &[(&str, PersonKind)] = &[
    ("civilians", PersonKind::Civilian),
    ("civilian", PersonKind::Civilian),
    ("residents", PersonKind::Civilian),
    ("resident", PersonKind::Civilian),
    ("villagers", PersonKind::Civilian),
    ("villager", PersonKind::Civilian),
    ("children", PersonKind::Civilian),
    ("child", PersonKind::Civilian),
    ("women", PersonKind::Civilian),
    ("woman", PersonKind::Civilian),
    ("students", PersonKind::Civilian),
    ("student", PersonKind::Civilian),
    ("worshippers", PersonKind::Civilian),
    ("passengers", PersonKind::Civilian),
    ("farmers", PersonKind::Civilian),
    ("farmer", PersonKind::Civilian),
    ("workers", PersonKind::Civilian),
    ("worker", PersonKind::Civilian),
    ("journalists", PersonKind::Civilian),
    ("journalist", PersonKind::Civilian),
    ("shoppers", PersonKind::Civilian),
    ("pilgrims", PersonKind::Civilian),
    ("herders", PersonKind::Civilian),
    ("miners", PersonKind::Civilian),
    ("babies", PersonKind::Civilian),
    ("infants", PersonKind::Civilian),
    ("girls", PersonKind::Civilian),
    ("boys", PersonKind::Civilian),
    ("girl", PersonKind::Civilian),
    ("boy", PersonKind::Civilian),
    ("teenagers", PersonKind::Civilian),
    ("doctors", PersonKind::Civilian),
    ("medics", PersonKind::Civilian),
    ("aid workers", PersonKind::Civilian),
    ("fishermen", PersonKind::Civilian),
    ("refugees", PersonKind::Civilian),
    ("patients", PersonKind::Civilian),
    ("pupils", PersonKind::Civilian),
    ("teachers", PersonKind::Civilian),
    ("family members", PersonKind::Civilian),
    ("members of a family", PersonKind::Civilian),
    ("members of one family", PersonKind::Civilian),
    ("members of the same family", PersonKind::Civilian),
    ("members of the family", PersonKind::Civilian),
    ("people", PersonKind::Unknown),
    ("persons", PersonKind::Unknown),
    ("person", PersonKind::Unknown),
    ("individuals", PersonKind::Unknown),
    ("men", PersonKind::Unknown),
    ("man", PersonKind::Unknown),
    ("others", PersonKind::Unknown),
    ("soldiers", PersonKind::Force),
    ("soldier", PersonKind::Force),
    ("troops", PersonKind::Force),
    ("servicemen", PersonKind::Force),
    ("serviceman", PersonKind::Force),
    ("officers", PersonKind::Force),
    ("officer", PersonKind::Force),
    ("policemen", PersonKind::Force),
    ("policeman", PersonKind::Force),
    ("police officers", PersonKind::Force),
    ("police", PersonKind::Force),
    ("personnel", PersonKind::Force),
    ("guards", PersonKind::Force),
    ("peacekeepers", PersonKind::Force),
    ("gendarmes", PersonKind::Force),
    ("recruits", PersonKind::Force),
    ("marines", PersonKind::Force),
    ("commandos", PersonKind::Force),
    ("fighters", PersonKind::Fighter),
    ("fighter", PersonKind::Fighter),
    ("militants", PersonKind::Fighter),
    ("militant", PersonKind::Fighter),
    ("rebels", PersonKind::Fighter),
    ("rebel", PersonKind::Fighter),
    ("insurgents", PersonKind::Fighter),
    ("jihadists", PersonKind::Fighter),
    ("gunmen", PersonKind::Fighter),
    ("gunman", PersonKind::Fighter),
    ("attackers", PersonKind::Fighter),
    ("militiamen", PersonKind::Fighter),
    ("combatants", PersonKind::Fighter),
    ("members", PersonKind::Fighter),
    ("protesters", PersonKind::Protester),
    ("protestors", PersonKind::Protester),
    ("demonstrators", PersonKind::Protester),
];

/// Nouns after a number that make it a count of things, not people.
pub const THING_NOUNS: &[&str] = &[
    "vehicles",
    "vehicle",
    "tanks",
    "tank",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "metres",
    "meters",
    "posts",
    "post",
    "outposts",
    "towns",
    "villages",
    "days",
    "weeks",
    "months",
    "years",
    "hours",
    "minutes",
    "homes",
    "houses",
    "buildings",
    "trucks",
    "aircraft",
    "drones",
    "rockets",
    "missiles",
    "shells",
    "mortars",
    "bombs",
    "percent",
    "%",
    "am",
    "pm",
    "times",
    "points",
    "dollars",
    "euros",
    "million",
    "billion",
    "tonnes",
    "tons",
    "apcs",
    "cars",
    "bases",
    "checkpoints",
    "schools",
    "hospitals",
    "sq",
    "square",
    "seats",
    "votes",
    "hectares",
    "acres",
    "year-old",
    "years-old",
    "positions",
    "strikes",
    "raids",
    "attacks",
    "incidents",
    "armoured",
    "armored",
    "kg",
    "km2",
    "dead-end",
];

/// Things that say a number is a population, not people who moved.
pub const POPULATION_BEFORE: &[&str] = &[
    "town",
    "city",
    "village",
    "province",
    "region",
    "district",
    "country",
    "area",
    "population",
    "home",
    "nation",
    "camp",
    "capacity",
];

/// What fleeing sounds like, after the number ("10,000 fled") or before it ("displaced 10,000").
pub const FLEE_AFTER: &[&str] =
    &["fled", "flee", "fleeing", "displaced", "uprooted", "evacuated", "escaped", "forced", "driven"];
pub const FLEE_BEFORE: &[&str] =
    &["displaced", "displacing", "uprooted", "uprooting", "forced", "forcing", "driven", "driving", "evacuated"];

/// What makes a clause background rather than news.
pub const BACKGROUND: &[&str] = &[
    "weeks of",
    "months of",
    "years of",
    "decades of",
    "in recent weeks",
    "in recent months",
    "in recent years",
    "over the past",
    "over the years",
    "since the start",
    "since the beginning",
    "in the past",
    "have worked",
    "has worked",
    "history of",
    "anniversary",
    "last year",
    "years ago",
    "decade",
];

/// Cues of denial or negation.
pub const NEGATION: &[&str] = &[
    "not",
    "no",
    "never",
    "denied",
    "denies",
    "refused to confirm",
    "n't",
    "neither",
    "nor",
    "false",
    "rejected",
    "failed to",
];

/// What makes a clause speak of the future.
pub const ANNOUNCED: &[&str] = &[
    "will",
    "is set to",
    "are set to",
    "is expected",
    "are expected",
    "is due",
    "are due",
    "scheduled",
    "to be held",
    "expected to",
    "is to",
    "are to",
    "upcoming",
    "next week",
    "next month",
    "tomorrow",
    "'ll",
];
pub const PLANNED: &[&str] = &[
    "plans to",
    "plan to",
    "planned",
    "planning to",
    "intends to",
    "intend to",
    "threatened to",
    "threatens to",
    "vowed to",
    "vows to",
    "would",
    "preparing to",
    "prepares to",
    "considering",
    "proposed",
    "called for",
    "calls for",
    "demand",
    "demands",
    "urged",
    "warned",
];

/// Nouns for posts and bases.
pub const POST_NOUNS: &[&str] = &[
    "post",
    "posts",
    "outpost",
    "outposts",
    "observation post",
    "observation posts",
    "base",
    "bases",
    "military base",
    "position",
    "positions",
    "checkpoint",
    "checkpoints",
    "garrison",
    "airbase",
    "air base",
    "barracks",
    "military point",
    "military points",
    "point",
];

/// Status changes of posts.
pub const POST_STATUS: &[(&str, PostStatus)] = &[
    ("under construction", PostStatus::UnderConstruction),
    ("being built", PostStatus::UnderConstruction),
    ("building", PostStatus::UnderConstruction),
    ("constructing", PostStatus::UnderConstruction),
    ("erecting", PostStatus::UnderConstruction),
    ("setting up", PostStatus::UnderConstruction),
    ("set up", PostStatus::Established),
    ("established", PostStatus::Established),
    ("establishing", PostStatus::UnderConstruction),
    ("built", PostStatus::Established),
    ("opened", PostStatus::Established),
    ("reinforced", PostStatus::Reinforced),
    ("bolstered", PostStatus::Reinforced),
    ("resupplied", PostStatus::Reinforced),
    ("sent reinforcements", PostStatus::Reinforced),
    ("shelled", PostStatus::Attacked),
    ("attacked", PostStatus::Attacked),
    ("struck", PostStatus::Attacked),
    ("targeted", PostStatus::Attacked),
    ("came under fire", PostStatus::Attacked),
    ("came under attack", PostStatus::Attacked),
    ("hit", PostStatus::Attacked),
    ("stormed", PostStatus::Attacked),
    ("encircled", PostStatus::Encircled),
    ("surrounded", PostStatus::Encircled),
    ("cut off", PostStatus::Encircled),
    ("besieged", PostStatus::Besieged),
    ("under siege", PostStatus::Besieged),
    ("laid siege", PostStatus::Besieged),
    ("siege was broken", PostStatus::Held),
    ("siege was lifted", PostStatus::Held),
    ("siege had been lifted", PostStatus::Held),
    ("siege had been broken", PostStatus::Held),
    ("had been lifted", PostStatus::Held),
    ("had been broken", PostStatus::Held),
    ("been lifted", PostStatus::Held),
    ("been broken", PostStatus::Held),
    ("siege broken", PostStatus::Held),
    ("siege lifted", PostStatus::Held),
    ("broke the siege", PostStatus::Held),
    ("lifted the siege", PostStatus::Held),
    ("ended the siege", PostStatus::Held),
    ("evacuated", PostStatus::Evacuated),
    ("withdrew from", PostStatus::Evacuated),
    ("withdrawn from", PostStatus::Evacuated),
    ("withdrew", PostStatus::Evacuated),
    ("withdrawn", PostStatus::Evacuated),
    ("pulled out of", PostStatus::Evacuated),
    ("abandoned", PostStatus::Evacuated),
    ("handed over", PostStatus::Evacuated),
    ("vacated", PostStatus::Evacuated),
    ("dismantled", PostStatus::Evacuated),
];

#[must_use]
pub fn post_status_table() -> &'static PhraseTable<PostStatus> {
    static T: OnceLock<PhraseTable<PostStatus>> = OnceLock::new();
    T.get_or_init(|| PhraseTable::new(POST_STATUS.iter().map(|&(p, s)| (p.to_string(), s))))
}

#[must_use]
pub fn post_nouns() -> &'static PhraseTable<()> {
    static T: OnceLock<PhraseTable<()>> = OnceLock::new();
    T.get_or_init(|| PhraseTable::new(POST_NOUNS.iter().map(|&p| (p.to_string(), ()))))
}

#[must_use]
pub fn person_nouns() -> &'static PhraseTable<PersonKind> {
    static T: OnceLock<PhraseTable<PersonKind>> = OnceLock::new();
    T.get_or_init(|| PhraseTable::new(PERSON_NOUNS.iter().map(|&(p, k)| (p.to_string(), k))))
}

fn table(list: &'static [&'static str]) -> PhraseTable<()> {
    PhraseTable::new(list.iter().map(|&p| (p.to_string(), ())))
}

#[must_use]
pub fn background() -> &'static PhraseTable<()> {
    static T: OnceLock<PhraseTable<()>> = OnceLock::new();
    T.get_or_init(|| table(BACKGROUND))
}

#[must_use]
pub fn negation() -> &'static PhraseTable<()> {
    static T: OnceLock<PhraseTable<()>> = OnceLock::new();
    T.get_or_init(|| table(NEGATION))
}

#[must_use]
pub fn announced() -> &'static PhraseTable<()> {
    static T: OnceLock<PhraseTable<()>> = OnceLock::new();
    T.get_or_init(|| table(ANNOUNCED))
}

#[must_use]
pub fn planned() -> &'static PhraseTable<()> {
    static T: OnceLock<PhraseTable<()>> = OnceLock::new();
    T.get_or_init(|| table(PLANNED))
}
