//! How sure a match is: the query names the thing (exact), shares a word
//! with it (word), or only has its letters in order (fuzzy). A responder
//! must see the difference: a fuzzy match is a guess, and paging on a
//! guess sends the page to the wrong team.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchClass {
    /// The query is the id or the name.
    Exact,
    /// A word of the query is contained in a name, id, keyword or tag, or
    /// one of those is contained in the query.
    Word,
    /// Only scattered letters matched: a suggestion, not an answer.
    Fuzzy,
}

impl MatchClass {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchClass::Exact => "exact",
            MatchClass::Word => "word",
            MatchClass::Fuzzy => "fuzzy",
        }
    }

    pub fn is_fuzzy(self) -> bool {
        self == MatchClass::Fuzzy
    }

    /// The class of a search hit whose matched texts are `texts` (id,
    /// name and the fields some word matched): exact when the whole query
    /// is one of them, word when every word of the query appears unbroken
    /// in one of them, else fuzzy. Case and accents are ignored here, as a
    /// responder types them.
    pub fn of_texts<'a>(query: &str, texts: impl IntoIterator<Item = &'a str>) -> MatchClass {
        let q = query.trim().to_lowercase();
        let words: Vec<&str> = q.split_whitespace().collect();
        if words.is_empty() {
            return MatchClass::Fuzzy;
        }
        let texts: Vec<String> = texts.into_iter().map(str::to_lowercase).collect();
        if texts.iter().any(|t| t.trim() == q) {
            return MatchClass::Exact;
        }
        let unbroken = |w: &str| texts.iter().any(|t| t.contains(w));
        if words.iter().all(|w| unbroken(w)) {
            MatchClass::Word
        } else {
            MatchClass::Fuzzy
        }
    }
}

impl super::Hit {
    /// How sure this hit is for `query` (the query it answers).
    pub fn class(&self, query: &str) -> MatchClass {
        MatchClass::of_texts(
            query,
            [self.id.as_str(), self.name.as_str()]
                .into_iter()
                .chain(self.matched.iter().map(|f| f.text.as_str())),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_word_and_fuzzy() {
        let texts = ["kafka", "Kafka message queues"];
        assert_eq!(MatchClass::of_texts("KAFKA", texts), MatchClass::Exact);
        assert_eq!(
            MatchClass::of_texts("kafka message queues", texts),
            MatchClass::Exact
        );
        assert_eq!(MatchClass::of_texts("queues kaf", texts), MatchClass::Word);
        assert_eq!(MatchClass::of_texts("kfk", texts), MatchClass::Fuzzy);
        assert_eq!(MatchClass::of_texts("", texts), MatchClass::Fuzzy);
    }
}
