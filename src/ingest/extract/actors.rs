//! Who acts and who is hit: a lexicon of forces, governments, armed groups and crowds with
//! their aliases ("regime forces", "Assad's forces", "the Syrian army" → Syrian government
//! forces), countries with their demonyms and capitals ("Ankara" as a government when it
//! acts, a place after "in"), found as the longest alias at each word.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::domain::model::Actor;
use crate::ingest::extract::text::Word;

/// A country: its name, demonyms, capitals and the ids of its forces and government.
pub struct Country {
    pub name: &'static str,
    pub iso: &'static str,
    pub demonyms: &'static [&'static str],
    pub capitals: &'static [&'static str],
    pub forces: (&'static str, &'static str),
    pub government: (&'static str, &'static str),
}

macro_rules! countries {
    ($( $name:literal, $iso:literal, [$($dem:literal),*], [$($cap:literal),*], $forces:literal, $fname:literal, $gov:literal, $gname:literal; )*) => {
        pub const COUNTRIES: &[Country] = &[ $( Country {
            name: $name, iso: $iso, demonyms: &[$($dem),*], capitals: &[$($cap),*],
            forces: ($forces, $fname), government: ($gov, $gname),
        }, )* ];
    };
}

countries! {
    "Syria", "SY", ["syrian"], ["damascus"], "syrian_government_forces", "Syrian government forces", "syrian_government", "Government of Syria";
    "Turkey", "TR", ["turkish"], ["ankara"], "turkish_forces", "Turkish armed forces", "turkish_government", "Government of Turkey";
    "Russia", "RU", ["russian"], ["moscow", "kremlin"], "russian_forces", "Russian armed forces", "russian_government", "Government of Russia";
    "Israel", "IL", ["israeli"], [], "israeli_forces", "Israeli armed forces", "israeli_government", "Government of Israel";
    "Iran", "IR", ["iranian"], ["tehran"], "iranian_forces", "Iranian armed forces", "iranian_government", "Government of Iran";
    "Iraq", "IQ", ["iraqi"], ["baghdad"], "iraqi_forces", "Iraqi security forces", "iraqi_government", "Government of Iraq";
    "Ukraine", "UA", ["ukrainian"], ["kyiv", "kiev"], "ukrainian_forces", "Ukrainian armed forces", "ukrainian_government", "Government of Ukraine";
    "United States", "US", ["american", "us", "u.s"], ["washington"], "us_forces", "United States armed forces", "us_government", "Government of the United States";
    "Afghanistan", "AF", ["afghan"], ["kabul"], "afghan_forces", "Afghan security forces", "afghan_government", "Government of Afghanistan";
    "Pakistan", "PK", ["pakistani"], ["islamabad"], "pakistani_forces", "Pakistani security forces", "pakistani_government", "Government of Pakistan";
    "India", "IN", ["indian"], ["new delhi"], "indian_forces", "Indian security forces", "indian_government", "Government of India";
    "Nigeria", "NG", ["nigerian"], ["abuja"], "nigerian_forces", "Nigerian security forces", "nigerian_government", "Government of Nigeria";
    "Mali", "ML", ["malian"], ["bamako"], "malian_forces", "Malian armed forces", "malian_government", "Government of Mali";
    "Burkina Faso", "BF", ["burkinabe"], ["ouagadougou"], "burkinabe_forces", "Burkinabe armed forces", "burkinabe_government", "Government of Burkina Faso";
    "Niger", "NE", ["nigerien"], ["niamey"], "nigerien_forces", "Nigerien armed forces", "nigerien_government", "Government of Niger";
    "Somalia", "SO", ["somali"], ["mogadishu"], "somali_forces", "Somali security forces", "somali_government", "Government of Somalia";
    "Sudan", "SD", ["sudanese"], ["khartoum"], "sudanese_forces", "Sudanese armed forces", "sudanese_government", "Government of Sudan";
    "Ethiopia", "ET", ["ethiopian"], ["addis ababa"], "ethiopian_forces", "Ethiopian armed forces", "ethiopian_government", "Government of Ethiopia";
    "Yemen", "YE", ["yemeni"], ["sanaa"], "yemeni_forces", "Yemeni government forces", "yemeni_government", "Government of Yemen";
    "Lebanon", "LB", ["lebanese"], ["beirut"], "lebanese_forces", "Lebanese armed forces", "lebanese_government", "Government of Lebanon";
    "Libya", "LY", ["libyan"], ["tripoli"], "libyan_forces", "Libyan armed forces", "libyan_government", "Government of Libya";
    "Egypt", "EG", ["egyptian"], ["cairo"], "egyptian_forces", "Egyptian armed forces", "egyptian_government", "Government of Egypt";
    "Saudi Arabia", "SA", ["saudi"], ["riyadh"], "saudi_forces", "Saudi armed forces", "saudi_government", "Government of Saudi Arabia";
    "Myanmar", "MM", ["burmese", "myanmar"], ["naypyidaw", "naypyitaw"], "myanmar_forces", "Myanmar military", "myanmar_government", "Government of Myanmar";
    "DR Congo", "CD", ["congolese"], ["kinshasa"], "congolese_forces", "Congolese armed forces", "congolese_government", "Government of DR Congo";
    "Cameroon", "CM", ["cameroonian"], ["yaounde"], "cameroonian_forces", "Cameroonian armed forces", "cameroonian_government", "Government of Cameroon";
    "Kenya", "KE", ["kenyan"], ["nairobi"], "kenyan_forces", "Kenyan security forces", "kenyan_government", "Government of Kenya";
    "Mozambique", "MZ", ["mozambican"], ["maputo"], "mozambican_forces", "Mozambican armed forces", "mozambican_government", "Government of Mozambique";
    "France", "FR", ["french"], ["paris"], "french_forces", "French armed forces", "french_government", "Government of France";
    "Colombia", "CO", ["colombian"], ["bogota"], "colombian_forces", "Colombian armed forces", "colombian_government", "Government of Colombia";
    "Mexico", "MX", ["mexican"], ["mexico city"], "mexican_forces", "Mexican security forces", "mexican_government", "Government of Mexico";
    "Philippines", "PH", ["philippine", "filipino"], ["manila"], "philippine_forces", "Philippine armed forces", "philippine_government", "Government of the Philippines";
    "Armenia", "AM", ["armenian"], ["yerevan"], "armenian_forces", "Armenian armed forces", "armenian_government", "Government of Armenia";
    "Azerbaijan", "AZ", ["azerbaijani", "azeri"], ["baku"], "azerbaijani_forces", "Azerbaijani armed forces", "azerbaijani_government", "Government of Azerbaijan";
    "Palestine", "PS", ["palestinian"], ["ramallah"], "palestinian_forces", "Palestinian security forces", "palestinian_government", "Palestinian Authority";
    "Chad", "TD", ["chadian"], ["ndjamena", "n'djamena"], "chadian_forces", "Chadian armed forces", "chadian_government", "Government of Chad";
}

/// What kind of actor an alias names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// State forces (ACLED inter 1), or foreign forces (8) in another country's war.
    Forces,
    /// A government as a diplomat: no inter code.
    Government,
    Rebels,
    Militia,
    Protesters,
    Rioters,
    Civilians,
}

/// What an alias resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Referent {
    /// A named group with a fixed id.
    Named {
        id: &'static str,
        name: &'static str,
        inter: u8,
    },
    /// A country's forces ("Turkish troops").
    Forces(usize),
    /// A country's government ("Turkey's foreign minister").
    Government(usize),
    /// A country named alone, or its capital: forces or government by what it does.
    Country(usize),
    /// The forces of the article's own country ("government forces", "the regime").
    HomeForces,
    /// Rebels of the article's country.
    HomeRebels,
    HomeCivilians,
    Protesters,
    Rioters,
}

const NAMED: &[(&[&str], &str, &str, u8)] = &[
    (&["islamic state", "isis", "isil", "daesh", "islamic state group"], "islamic_state", "Islamic State", 2),
    (&["hayat tahrir al-sham", "hts", "tahrir al-sham"], "hts", "Hayat Tahrir al-Sham", 2),
    (
        &[
            "free syrian army",
            "fsa",
            "national liberation front",
            "syrian national army",
            "syrian rebels",
            "syrian opposition",
        ],
        "syrian_opposition",
        "Syrian rebel groups",
        2,
    ),
    (&["syrian democratic forces", "sdf", "ypg", "kurdish-led forces"], "sdf", "Syrian Democratic Forces", 2),
    (&["pkk", "kurdistan workers party"], "pkk", "Kurdistan Workers' Party (PKK)", 2),
    (&["hamas", "qassam brigades"], "hamas", "Hamas", 2),
    (&["hezbollah", "hizbollah"], "hezbollah", "Hezbollah", 3),
    (&["houthis", "houthi", "houthi rebels", "ansar allah"], "houthis", "Houthis (Ansar Allah)", 2),
    (&["taliban"], "taliban", "Taliban", 2),
    (&["al-shabaab", "al shabaab", "shabaab"], "al_shabaab", "Al-Shabaab", 2),
    (&["boko haram"], "boko_haram", "Boko Haram", 2),
    (&["iswap", "islamic state west africa province"], "iswap", "Islamic State West Africa Province", 2),
    (&["jnim"], "jnim", "JNIM", 2),
    (&["al-qaeda", "al qaeda", "aqap", "aqim"], "al_qaeda", "Al-Qaeda", 2),
    (&["wagner", "wagner group"], "wagner", "Wagner Group", 8),
    (&["rapid support forces", "rsf"], "rsf", "Rapid Support Forces", 2),
    (&["m23"], "m23", "M23", 2),
    (&["arakan army"], "arakan_army", "Arakan Army", 2),
    (&["people's defence force", "people's defense force", "pdf"], "pdf_myanmar", "People's Defence Force", 2),
    (&["saudi-led coalition", "arab coalition"], "saudi_led_coalition", "Saudi-led coalition", 8),
    (&["us-led coalition"], "us_led_coalition", "US-led coalition", 8),
    (&["un peacekeepers", "peacekeepers", "unifil", "minusma", "monusco"], "un_peacekeepers", "UN peacekeepers", 8),
    (
        &[
            "gunmen",
            "armed men",
            "unidentified gunmen",
            "assailants",
            "attackers",
            "unknown gunmen",
            "bandits",
            "armed group",
            "armed groups",
            "armed factions",
            "factions",
        ],
        "unidentified_armed_group",
        "Unidentified armed group",
        3,
    ),
    (&["militants", "jihadists", "insurgents", "extremists"], "militants", "Militants (unidentified)", 2),
    (&["militia", "militiamen", "militias", "vigilantes"], "militia", "Militia (unidentified)", 4),
];

/// Words after a demonym that make it a force.
const FORCE_NOUNS: &[&str] = &[
    "forces",
    "troops",
    "soldiers",
    "soldier",
    "army",
    "military",
    "armed forces",
    "warplanes",
    "warplane",
    "jets",
    "aircraft",
    "drones",
    "drone",
    "navy",
    "air force",
    "artillery",
    "police",
    "policemen",
    "security forces",
    "commandos",
    "servicemen",
    "gendarmes",
    "gendarmerie",
    "border guards",
    "special forces",
    "marines",
    "helicopters",
    "units",
    "regime forces",
    "regime troops",
    "regime",
    "government forces",
    "government troops",
    "army troops",
    "tanks",
];

/// Words after a demonym that make it a government.
const GOVERNMENT_NOUNS: &[&str] = &[
    "government",
    "foreign minister",
    "foreign ministry",
    "officials",
    "delegation",
    "president",
    "authorities",
    "leaders",
    "diplomats",
    "prime minister",
    "envoy",
];

const HOME_FORCES: &[&str] = &[
    "regime forces",
    "regime troops",
    "the regime",
    "regime",
    "government forces",
    "government troops",
    "government soldiers",
    "pro-government forces",
    "security forces",
    "the army",
    "army",
    "the military",
    "soldiers",
    "troops",
    "police",
    "policemen",
    "police officers",
    "riot police",
    "junta",
    "assad's forces",
    "assad forces",
    "pro-assad forces",
    "assad regime",
];

const HOME_REBELS: &[&str] = &["rebels", "rebel fighters", "opposition fighters", "rebel groups", "opposition forces"];

#[derive(Debug, Clone)]
struct Alias {
    words: Vec<String>,
    referent: Referent,
}

/// All aliases by their first word; and, to look up fast (thousands of aliases start with
/// "the"), those of two words or more by their first two words, one-word ones by their word,
/// each list in the order of `by_first`'s.
struct Lexicon {
    by_first: FxHashMap<String, Vec<Alias>>,
    by_two: FxHashMap<String, FxHashMap<String, Vec<Alias>>>,
    single: FxHashMap<String, Vec<Alias>>,
}

fn split(phrase: &str) -> Vec<String> {
    crate::ingest::extract::text::words(phrase, 0, phrase.len()).into_iter().map(|w| w.lower).collect()
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut by_first: FxHashMap<String, Vec<Alias>> = FxHashMap::default();
        let mut add = |phrase: &str, referent: Referent| {
            let words = split(phrase);
            if let Some(first) = words.first().cloned() {
                by_first.entry(first).or_default().push(Alias { words, referent });
            }
        };
        for &(aliases, id, name, inter) in NAMED {
            for alias in aliases {
                add(alias, Referent::Named { id, name, inter });
            }
        }
        for (i, c) in COUNTRIES.iter().enumerate() {
            add(&c.name.to_lowercase(), Referent::Country(i));
            for cap in c.capitals {
                add(cap, Referent::Country(i));
            }
            for dem in c.demonyms {
                for noun in FORCE_NOUNS {
                    add(&format!("{dem} {noun}"), Referent::Forces(i));
                    add(&format!("the {dem} {noun}"), Referent::Forces(i));
                }
                for noun in GOVERNMENT_NOUNS {
                    add(&format!("{dem} {noun}"), Referent::Government(i));
                }
            }
            let name = c.name.to_lowercase();
            for noun in FORCE_NOUNS {
                add(&format!("{name}'s {noun}"), Referent::Forces(i));
            }
            for noun in GOVERNMENT_NOUNS {
                add(&format!("{name}'s {noun}"), Referent::Government(i));
            }
        }
        add("moscow", Referent::Country(2));
        for alias in HOME_FORCES {
            add(alias, Referent::HomeForces);
        }
        for alias in HOME_REBELS {
            add(alias, Referent::HomeRebels);
        }
        for alias in ["civilians", "residents", "villagers"] {
            add(alias, Referent::HomeCivilians);
        }
        for alias in ["protesters", "demonstrators", "protestors", "marchers", "activists"] {
            add(alias, Referent::Protesters);
        }
        for alias in ["rioters", "a mob", "mob"] {
            add(alias, Referent::Rioters);
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|a| std::cmp::Reverse(a.words.len()));
        }
        let mut by_two: FxHashMap<String, FxHashMap<String, Vec<Alias>>> = FxHashMap::default();
        let mut single: FxHashMap<String, Vec<Alias>> = FxHashMap::default();
        for list in by_first.values() {
            for a in list {
                match a.words.as_slice() {
                    [one] => single.entry(one.clone()).or_default().push(a.clone()),
                    [first, second, ..] => {
                        by_two.entry(first.clone()).or_default().entry(second.clone()).or_default().push(a.clone());
                    }
                    [] => {}
                }
            }
        }
        Lexicon { by_first, by_two, single }
    })
}

/// One mention of an actor in a sentence.
#[derive(Debug, Clone, Copy)]
pub struct Mention {
    pub first: usize,
    pub end: usize,
    pub referent: Referent,
}

/// Prepositions after which a country or capital is a place, not an actor.
const PLACE_PREPOSITIONS: &[&str] = &[
    "in", "to", "at", "from", "into", "near", "towards", "toward", "outside", "inside", "across", "of", "for", "with",
    "visit", "visited",
];

const DIRECTIONS: &[&str] = &[
    "north",
    "northern",
    "south",
    "southern",
    "east",
    "eastern",
    "west",
    "western",
    "northwest",
    "north-west",
    "northwestern",
    "north-western",
    "northeast",
    "north-east",
    "northeastern",
    "north-eastern",
    "southwest",
    "south-west",
    "southwestern",
    "south-western",
    "southeast",
    "south-east",
    "southeastern",
    "south-eastern",
    "central",
];

/// Every actor mention among `words`, longest alias first, left to right.
#[must_use]
pub fn mentions(words: &[Word]) -> Vec<Mention> {
    let lex = lexicon();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !lex.by_first.contains_key(&words[i].lower) {
            i += 1;
            continue;
        }
        // Longest first: every alias of two words or more comes before those of one.
        let longer = words.get(i + 1).and_then(|next| lex.by_two.get(&words[i].lower)?.get(&next.lower));
        let found = longer
            .into_iter()
            .flatten()
            .chain(lex.single.get(&words[i].lower).into_iter().flatten())
            .find(|a| a.words.iter().enumerate().all(|(k, w)| words.get(i + k).is_some_and(|x| &x.lower == w)));
        match found {
            Some(alias) => {
                let end = i + alias.words.len();
                let mut referent = alias.referent;
                // "IS" in capitals only; "us" is a pronoun.
                if (alias.words[0] == "us" || alias.words[0] == "is") && !words[i].capital {
                    i += 1;
                    continue;
                }
                if let Referent::Country(_) = referent {
                    let after_preposition = i > 0
                        && (PLACE_PREPOSITIONS.contains(&words[i - 1].lower.as_str())
                            || DIRECTIONS.contains(&words[i - 1].lower.as_str()));
                    let possessive = words.get(end).is_some_and(|w| w.is("'s"));
                    if after_preposition && !possessive {
                        i = end;
                        continue;
                    }
                    if !words[i].capital {
                        i = end;
                        continue;
                    }
                }
                if matches!(referent, Referent::HomeForces) && alias.words.len() == 1 && alias.words[0] == "regime" {
                    referent = Referent::HomeForces;
                }
                out.push(Mention { first: i, end, referent });
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// True when some alias of a force (any actor whose role is [`Role::Forces`]) is spelled by
/// the words just before `end`: a necessary condition for [`mentions`] to find a force's
/// mention ending there (it also drops some, never adds one). For the notes prefilter.
#[must_use]
pub fn forces_alias_ends_at(words: &[Word], end: usize) -> bool {
    let lex = lexicon();
    (end.saturating_sub(MAX_ALIAS_WORDS)..end).any(|start| {
        lex.by_first.get(&words[start].lower).is_some_and(|list| {
            list.iter().any(|a| {
                a.words.len() == end - start
                    && matches!(role_of(a.referent), Role::Forces)
                    && a.words.iter().zip(&words[start..end]).all(|(w, x)| *w == x.lower)
            })
        })
    })
}

/// No alias is longer than this many words (checked by a test).
const MAX_ALIAS_WORDS: usize = 8;

/// The index of a country named by a word (name, demonym or capital), for the article's
/// country.
#[must_use]
pub fn country_word(words: &[Word], i: usize) -> Option<usize> {
    // The first country by name, and the first by demonym (looked up, not scanned: every
    // word of an article is asked).
    type ByWord = (FxHashMap<String, usize>, FxHashMap<&'static str, usize>);
    static BY_WORD: OnceLock<ByWord> = OnceLock::new();
    let (by_name, by_demonym) = BY_WORD.get_or_init(|| {
        let (mut names, mut demonyms) = (FxHashMap::default(), FxHashMap::default());
        for (i, c) in COUNTRIES.iter().enumerate() {
            names.entry(c.name.to_ascii_lowercase()).or_insert(i);
            for d in c.demonyms {
                demonyms.entry(*d).or_insert(i);
            }
        }
        (names, demonyms)
    });
    let w = words[i].lower.as_str();
    let name = by_name.get(w).copied();
    let demonym = by_demonym.get(w).copied().filter(|_| words[i].capital && w != "us");
    match (name, demonym) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The actor record for a referent, given the article's country (when known) and whether
/// the clause is diplomatic rather than military.
#[must_use]
pub fn actor_of(referent: Referent, home: Option<usize>, diplomatic: bool) -> Actor {
    let make = |id: &str, name: &str, inter: Option<u8>| Actor {
        id: id.to_string(),
        name: name.to_string(),
        inter,
        alt_names: Vec::new(),
    };
    let forces = |c: usize| {
        let country = &COUNTRIES[c];
        let inter = if Some(c) == home { 1 } else { 8 };
        make(country.forces.0, country.forces.1, Some(inter))
    };
    let government = |c: usize| make(COUNTRIES[c].government.0, COUNTRIES[c].government.1, None);
    match referent {
        Referent::Named { id, name, inter } => make(id, name, Some(inter)),
        Referent::Forces(c) => forces(c),
        Referent::Government(c) => government(c),
        Referent::Country(c) => {
            if diplomatic {
                government(c)
            } else {
                forces(c)
            }
        }
        Referent::HomeForces => match home {
            Some(c) => forces(c),
            None => make("state_forces", "State forces (country not named)", Some(1)),
        },
        Referent::HomeRebels => match home.map(|c| COUNTRIES[c].iso) {
            Some("SY") => make("syrian_opposition", "Syrian rebel groups", Some(2)),
            _ => make("rebels", "Rebel groups (unnamed)", Some(2)),
        },
        Referent::HomeCivilians => match home {
            Some(c) => {
                let country = &COUNTRIES[c];
                let id = format!("civilians_{}", country.name.to_lowercase().replace(' ', "_"));
                make(&id, &format!("Civilians ({})", country.name), Some(7))
            }
            None => make("civilians_unspecified", "Civilians", Some(7)),
        },
        Referent::Protesters => match home {
            Some(c) => {
                let country = &COUNTRIES[c];
                let id = format!("protesters_{}", country.name.to_lowercase().replace(' ', "_"));
                make(&id, &format!("Protesters ({})", country.name), Some(6))
            }
            None => make("protesters", "Protesters", Some(6)),
        },
        Referent::Rioters => match home {
            Some(c) => {
                let country = &COUNTRIES[c];
                let id = format!("rioters_{}", country.name.to_lowercase().replace(' ', "_"));
                make(&id, &format!("Rioters ({})", country.name), Some(5))
            }
            None => make("rioters", "Rioters", Some(5)),
        },
    }
}

/// The role a referent plays, for kinds and casualty groups.
#[must_use]
pub fn role_of(referent: Referent) -> Role {
    match referent {
        Referent::Named { inter: 2, .. } | Referent::HomeRebels => Role::Rebels,
        Referent::Named { inter: 3 | 4, .. } => Role::Militia,
        Referent::Named { .. } | Referent::Forces(_) | Referent::HomeForces | Referent::Country(_) => Role::Forces,
        Referent::Government(_) => Role::Government,
        Referent::HomeCivilians => Role::Civilians,
        Referent::Protesters => Role::Protesters,
        Referent::Rioters => Role::Rioters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::extract::text::words;

    fn ids(text: &str) -> Vec<String> {
        let ws = words(text, 0, text.len());
        let syria = COUNTRIES.iter().position(|c| c.iso == "SY");
        mentions(&ws).into_iter().map(|m| actor_of(m.referent, syria, false).id).collect()
    }

    #[test]
    fn no_alias_is_longer_than_the_prefilter_looks_back() {
        assert!(lexicon().by_first.values().flatten().all(|a| a.words.len() <= MAX_ALIAS_WORDS));
        let ws = words("the Turkish forces positions", 0, 28);
        assert!(forces_alias_ends_at(&ws, 3));
        assert!(!forces_alias_ends_at(&ws, 2), "\"the Turkish\" is a country's name, not a force");
    }

    #[test]
    fn aliases_resolve_to_one_actor() {
        assert_eq!(ids("regime forces advanced"), ["syrian_government_forces"]);
        assert_eq!(ids("Assad's forces advanced"), ["syrian_government_forces"]);
        assert_eq!(ids("the Syrian army advanced"), ["syrian_government_forces"]);
        assert_eq!(ids("Russian warplanes struck"), ["russian_forces"]);
        assert_eq!(ids("five Turkish soldiers"), ["turkish_forces"]);
    }

    #[test]
    fn a_capital_after_a_preposition_is_a_place() {
        assert_eq!(ids("officials will arrive in Ankara"), Vec::<String>::new());
        assert_eq!(ids("Ankara would demand a withdrawal"), ["turkish_forces"]);
        let ws = words("Ankara would demand", 0, 19);
        let m = mentions(&ws);
        assert_eq!(actor_of(m[0].referent, None, true).id, "turkish_government");
    }
}
