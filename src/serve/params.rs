//! The search page's address: the query, filters, sort and page, read from and written
//! back to the URL, so that a link opens the same results and the back button works.

use crate::search::{CountBy, SearchRequest, SortOrder};
use crate::tagging::dates::PartialDate;
use crate::tagging::gazetteer::{resolve_country, resolve_organisation};

/// Results per page; "more" asks for the next page.
pub const PAGE_SIZE: usize = 10;
/// Passages shown per result; the others of a document open in place.
pub const PASSAGES_SHOWN: usize = 4;
/// The last page an address can ask for: a million results deep, far past any reader.
pub const MAX_PAGE: usize = 100_000;
/// Documents under "who said it first".
pub const EARLIEST_SHOWN: usize = 3;

/// A filter dimension, as named in the address (`country=JP`, `not_country=CN`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Country,
    Issuer,
    Org,
}

impl Dimension {
    pub const ALL: [Dimension; 3] = [Dimension::Country, Dimension::Issuer, Dimension::Org];

    pub fn key(self) -> &'static str {
        match self {
            Dimension::Country => "country",
            Dimension::Issuer => "issuer",
            Dimension::Org => "org",
        }
    }

    fn exclude_key(self) -> &'static str {
        match self {
            Dimension::Country => "not_country",
            Dimension::Issuer => "not_issuer",
            Dimension::Org => "not_org",
        }
    }

    pub fn count_by(self) -> CountBy {
        match self {
            Dimension::Country => CountBy::Country,
            Dimension::Issuer => CountBy::Issuer,
            Dimension::Org => CountBy::Org,
        }
    }

    /// The code for what a reader typed: `JP` or `Japan`, `G7` or `Group of Seven`.
    fn resolve(self, input: &str) -> Option<&'static str> {
        match self {
            Dimension::Country | Dimension::Issuer => resolve_country(input),
            Dimension::Org => resolve_organisation(input),
        }
    }
}

/// Everything the address says about a search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pub q: String,
    /// Required values, then excluded ones, per dimension, as given.
    pub required: [Vec<String>; 3],
    pub excluded: [Vec<String>; 3],
    pub since: String,
    pub until: String,
    pub undated: bool,
    /// "relevance", "newest" or "oldest"; empty for the default.
    pub sort: String,
    /// 1-based.
    pub page: usize,
}

impl Params {
    /// Reads the query string of an address (without the `?`).
    pub fn parse(query: &str) -> Params {
        let mut params = Params {
            page: 1,
            ..Params::default()
        };
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim().to_string();
            match key.as_ref() {
                "q" => params.q = value,
                "since" => params.since = value,
                "until" => params.until = value,
                "sort" => params.sort = value,
                "undated" => params.undated = value == "1" || value == "on",
                "page" => params.page = value.parse().unwrap_or(1).clamp(1, MAX_PAGE),
                key => {
                    for (i, dimension) in Dimension::ALL.iter().enumerate() {
                        let list = if key == dimension.key() {
                            &mut params.required[i]
                        } else if key == dimension.exclude_key() {
                            &mut params.excluded[i]
                        } else {
                            continue;
                        };
                        if !value.is_empty() && !list.contains(&value) {
                            list.push(value.clone());
                        }
                    }
                }
            }
        }
        params
    }

    /// The query string that gives these parameters back, in a fixed order.
    pub fn to_query(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            out.append_pair("q", &self.q);
        }
        for (i, dimension) in Dimension::ALL.iter().enumerate() {
            for value in &self.required[i] {
                out.append_pair(dimension.key(), value);
            }
            for value in &self.excluded[i] {
                out.append_pair(dimension.exclude_key(), value);
            }
        }
        for (key, value) in [
            ("since", &self.since),
            ("until", &self.until),
            ("sort", &self.sort),
        ] {
            if !value.is_empty() {
                out.append_pair(key, value);
            }
        }
        if self.undated {
            out.append_pair("undated", "1");
        }
        if self.page > 1 {
            out.append_pair("page", &self.page.to_string());
        }
        out.finish()
    }

    /// True when the address asks for nothing: the page shows only the search box.
    pub fn is_empty(&self) -> bool {
        self.q.is_empty()
            && self.required.iter().all(Vec::is_empty)
            && self.excluded.iter().all(Vec::is_empty)
            && self.since.is_empty()
            && self.until.is_empty()
    }

    /// A copy on its first page: every change of the search starts again from the top.
    pub fn first_page(&self) -> Params {
        Params {
            page: 1,
            ..self.clone()
        }
    }

    /// A copy that also requires (or excludes) `value`, and no longer the opposite.
    pub fn with(&self, dimension: Dimension, value: &str, exclude: bool) -> Params {
        let mut next = self.first_page();
        let i = dimension as usize;
        next.required[i].retain(|v| v != value);
        next.excluded[i].retain(|v| v != value);
        let list = if exclude {
            &mut next.excluded[i]
        } else {
            &mut next.required[i]
        };
        list.push(value.to_string());
        next
    }

    /// A copy without the filter `value`, required or excluded.
    pub fn without(&self, dimension: Dimension, value: &str) -> Params {
        let mut next = self.first_page();
        let i = dimension as usize;
        next.required[i].retain(|v| v != value);
        next.excluded[i].retain(|v| v != value);
        next
    }

    /// The search these parameters ask for, with every count the page shows; or what is
    /// wrong with them, for a person.
    pub fn request(&self) -> Result<SearchRequest, String> {
        let mut request = SearchRequest::new(self.q.clone());
        let mut codes: [Vec<String>; 6] = Default::default();
        for (i, dimension) in Dimension::ALL.iter().enumerate() {
            for (list, into, key) in [
                (&self.required[i], i, dimension.key()),
                (&self.excluded[i], i + 3, dimension.exclude_key()),
            ] {
                for value in list {
                    let code = dimension.resolve(value).ok_or_else(|| {
                        format!("unknown {} '{value}' for {key}", dimension.key())
                    })?;
                    codes[into].push(code.to_string());
                }
            }
        }
        let [countries, issuers, orgs, not_countries, not_issuers, not_orgs] = codes;
        request.countries = countries;
        request.issuers = issuers;
        request.orgs = orgs;
        request.exclude_countries = not_countries;
        request.exclude_issuers = not_issuers;
        request.exclude_orgs = not_orgs;
        let date = |text: &str, key: &str| -> Result<Option<PartialDate>, String> {
            if text.is_empty() {
                return Ok(None);
            }
            PartialDate::parse_iso(text)
                .map(Some)
                .map_err(|error| format!("{key}: {error}"))
        };
        request.since = date(&self.since, "since")?;
        request.until = date(&self.until, "until")?;
        request.include_undated = self.undated;
        request.sort = match self.sort.as_str() {
            "" if self.q.is_empty() => SortOrder::Newest,
            "" | "relevance" => SortOrder::Relevance,
            "newest" => SortOrder::Newest,
            "oldest" => SortOrder::Oldest,
            other => {
                return Err(format!(
                    "unknown sort '{other}'; use relevance, newest or oldest"
                ))
            }
        };
        request.limit = PAGE_SIZE;
        request.offset = (self.page - 1).saturating_mul(PAGE_SIZE);
        request.per_doc = PASSAGES_SHOWN;
        request.count_by = vec![
            CountBy::Year,
            CountBy::Country,
            CountBy::Issuer,
            CountBy::Org,
        ];
        if !self.q.is_empty() && self.page == 1 {
            request.earliest = EARLIEST_SHOWN;
        }
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gives_back_the_same_search() {
        let params =
            Params::parse("q=%22strategic+reserve%22&country=JP&not_country=CN&since=2025&page=2");
        assert_eq!(params.q, "\"strategic reserve\"");
        assert_eq!(params.required[0], ["JP"]);
        assert_eq!(params.excluded[0], ["CN"]);
        assert_eq!(params.page, 2);
        assert_eq!(Params::parse(&params.to_query()), params);
        assert_eq!(
            params.to_query(),
            "q=%22strategic+reserve%22&country=JP&not_country=CN&since=2025&page=2"
        );
    }

    #[test]
    fn a_page_number_out_of_range_is_brought_into_it() {
        assert_eq!(Params::parse("q=oil&page=0").page, 1);
        assert_eq!(Params::parse("q=oil&page=-3").page, 1);
        assert_eq!(Params::parse("q=oil&page=99999999999999999999999").page, 1);
        assert_eq!(
            Params::parse("q=oil&page=18446744073709551615").page,
            MAX_PAGE
        );
    }

    #[test]
    fn requiring_a_value_lifts_its_exclusion_and_starts_again_at_page_one() {
        let params = Params::parse("q=oil&not_country=CN&page=3");
        let next = params.with(Dimension::Country, "CN", false);
        assert_eq!(next.to_query(), "q=oil&country=CN");
        assert_eq!(next.without(Dimension::Country, "CN").to_query(), "q=oil");
    }

    #[test]
    fn names_resolve_to_codes_and_unknown_ones_are_named() {
        let request = Params::parse("q=oil&country=Japan&not_org=G7")
            .request()
            .unwrap();
        assert_eq!(request.countries, ["JP"]);
        assert_eq!(request.exclude_orgs, ["G7"]);
        assert_eq!(
            Params::parse("q=oil&country=Atlantis")
                .request()
                .unwrap_err(),
            "unknown country 'Atlantis' for country"
        );
        assert_eq!(
            Params::parse("q=oil&since=2025-02-30")
                .request()
                .unwrap_err(),
            "since: '2025-02-30' is not a date: February 2025 has 28 days, not 30"
        );
    }
}
