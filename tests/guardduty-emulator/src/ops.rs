//! The three GuardDuty operations: what they answer and which inputs they refuse.
//!
//! These functions know nothing of HTTP: they take the region from the signature, the detector
//! id from the path and the parsed input, and return the JSON answer or the service's error.
//! Keeping them apart from the routes keeps the protocol rules (limits of 50, paging, detector
//! ownership, no promised order) in one readable place.

use serde_json::{Value, json};

use crate::criteria::{Criteria, SortCriteria};
use crate::error::ApiError;
use crate::paging;
use crate::state::AppState;

/// The most ids ListFindings lists, or GetFindings takes, in one call.
pub(crate) const PAGE_LIMIT: usize = 50;

/// A successful answer and the finding ids in it (for the call log).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Answer {
    /// The JSON body.
    pub body: Value,
    /// The finding ids listed or returned.
    pub finding_ids: Vec<String>,
}

/// ListDetectors: the region's detector, or none when GuardDuty is off there.
pub(crate) fn list_detectors(
    state: &AppState,
    region: &str,
    max_results: Option<&str>,
    next_token: Option<&str>,
) -> Result<Answer, ApiError> {
    if let Some(text) = max_results {
        let value = text
            .trim()
            .parse::<i64>()
            .map_err(|_| invalid_max_results(text))?;
        check_max_results(value)?;
    }
    // There is at most one detector, so no page ever follows: every token is foreign.
    if next_token.is_some_and(|token| !token.is_empty()) {
        return Err(invalid_next_token());
    }
    let ids: Vec<String> = state.store.detector_id(region).into_iter().collect();
    Ok(Answer {
        body: json!({"detectorIds": ids, "nextToken": ""}),
        finding_ids: Vec::new(),
    })
}

/// ListFindings: the ids of the region's findings that meet the criteria, sorted, one page.
pub(crate) fn list_findings(
    state: &AppState,
    region: &str,
    detector_id: &str,
    body: &Value,
) -> Result<Answer, ApiError> {
    check_detector(state, region, detector_id)?;
    let criteria = Criteria::from_request(body.get("findingCriteria")).map_err(invalid)?;
    let sort = SortCriteria::from_request(body.get("sortCriteria")).map_err(invalid)?;
    let page_size = match body.get("maxResults") {
        None | Some(Value::Null) => PAGE_LIMIT,
        Some(value) => {
            let number = value
                .as_i64()
                .ok_or_else(|| invalid_max_results(&value.to_string()))?;
            check_max_results(number)?
        }
    };
    let query = paging::fingerprint(
        &[region, detector_id],
        &[body.get("findingCriteria"), body.get("sortCriteria")],
    );
    let offset = match body.get("nextToken") {
        None | Some(Value::Null) => 0,
        Some(Value::String(token)) if token.is_empty() => 0,
        Some(Value::String(token)) => {
            paging::decode(token, query).ok_or_else(invalid_next_token)?
        }
        Some(_) => return Err(ApiError::bad_request("nextToken must be a string")),
    };
    let findings = state.store.region(region).map_or(&[][..], |r| r.all());
    let matching = state.matching(query, || {
        let mut positions: Vec<usize> = (0..findings.len())
            .filter(|&position| criteria.matches(&findings[position]))
            .collect();
        if let Some(sort) = &sort {
            sort.sort(findings, &mut positions);
        }
        positions
    });
    let start = offset.min(matching.len());
    let end = offset.saturating_add(page_size).min(matching.len());
    let ids: Vec<String> = matching[start..end]
        .iter()
        .map(|&p| finding_id(&findings[p]))
        .collect();
    let next_token = if end < matching.len() {
        paging::encode(query, end)
    } else {
        String::new()
    };
    Ok(Answer {
        body: json!({"findingIds": ids, "nextToken": next_token}),
        finding_ids: ids,
    })
}

/// GetFindings: the region's findings with the given ids, unknown ids left out, in no
/// promised order (the emulator answers in reverse request order unless sorted).
pub(crate) fn get_findings(
    state: &AppState,
    region: &str,
    detector_id: &str,
    body: &Value,
) -> Result<Answer, ApiError> {
    check_detector(state, region, detector_id)?;
    let ids = match body.get("findingIds") {
        Some(Value::Array(ids)) => ids,
        None | Some(Value::Null) => {
            return Err(ApiError::invalid_input(
                "The request is rejected because the input findingIds is required.",
            ));
        }
        Some(_) => {
            return Err(ApiError::bad_request(
                "findingIds must be a list of strings",
            ));
        }
    };
    if ids.len() > PAGE_LIMIT {
        return Err(ApiError::invalid_input(format!(
            "The request is rejected because the input findingIds has {} ids; at most \
             {PAGE_LIMIT} are allowed.",
            ids.len()
        )));
    }
    let sort = SortCriteria::from_request(body.get("sortCriteria")).map_err(invalid)?;
    let findings = state.store.region(region);
    let mut positions: Vec<usize> = Vec::new();
    for id in ids {
        let Some(id) = id.as_str() else {
            return Err(ApiError::bad_request(
                "findingIds must be a list of strings",
            ));
        };
        if let Some(position) = findings.and_then(|f| f.position(id))
            && !positions.contains(&position)
        {
            positions.push(position);
        }
    }
    positions.reverse();
    let all = findings.map_or(&[][..], |f| f.all());
    if let Some(sort) = &sort {
        sort.sort(all, &mut positions);
    }
    let returned: Vec<Value> = positions.iter().map(|&p| all[p].clone()).collect();
    let finding_ids = returned.iter().map(finding_id).collect();
    Ok(Answer {
        body: json!({"findings": returned}),
        finding_ids,
    })
}

fn check_detector(state: &AppState, region: &str, detector_id: &str) -> Result<(), ApiError> {
    if state.store.owns_detector(region, detector_id) {
        return Ok(());
    }
    Err(ApiError::invalid_input(format!(
        "The request is rejected because the input detectorId is not owned by the current \
         account: detector {detector_id} does not exist in {region}."
    )))
}

fn check_max_results(value: i64) -> Result<usize, ApiError> {
    match usize::try_from(value) {
        Ok(size) if (1..=PAGE_LIMIT).contains(&size) => Ok(size),
        _ => Err(invalid_max_results(&value.to_string())),
    }
}

fn invalid_max_results(value: &str) -> ApiError {
    ApiError::invalid_input(format!(
        "The request is rejected because the input maxResults has an invalid value: {value}. \
         It must be between 1 and {PAGE_LIMIT}."
    ))
}

fn invalid_next_token() -> ApiError {
    ApiError::invalid_input("The request is rejected because the input nextToken is not valid.")
}

fn invalid(why: String) -> ApiError {
    ApiError::invalid_input(format!("The request is rejected because {why}."))
}

fn finding_id(finding: &Value) -> String {
    finding
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::emulator::Emulator;
    use crate::ids::detector_id_for_region;

    const REGION: &str = "us-east-1";

    fn state(findings: Vec<Value>) -> AppState {
        AppState::new(
            Emulator::builder()
                .add_findings(REGION, findings)
                .no_detector("eu-west-3")
                .build(),
        )
    }

    fn numbered(count: usize) -> Vec<Value> {
        (0..count)
            .map(|n| json!({"id": format!("f{n:03}"), "type": if n % 2 == 0 { "A" } else { "B" }, "severity": n}))
            .collect()
    }

    fn list(state: &AppState, body: Value) -> Result<Answer, ApiError> {
        list_findings(state, REGION, &detector_id_for_region(REGION), &body)
    }

    #[test]
    fn lists_a_region_detector_and_none_where_guardduty_is_off() {
        let state = state(Vec::new());
        let answer = list_detectors(&state, REGION, Some("50"), None).expect("listed");
        assert_eq!(
            answer.body["detectorIds"],
            json!([detector_id_for_region(REGION)])
        );
        let off = list_detectors(&state, "eu-west-3", None, None).expect("listed");
        assert_eq!(off.body["detectorIds"], json!([]));
        assert!(list_detectors(&state, REGION, Some("0"), None).is_err());
        assert!(list_detectors(&state, REGION, None, Some("abc")).is_err());
    }

    #[test]
    fn pages_through_matches_with_opaque_tokens_until_an_empty_token() {
        let state = state(numbered(120));
        let criteria = json!({"criterion": {"type": {"equals": ["A"]}}});
        let mut token = Value::Null;
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let body = json!({"findingCriteria": criteria, "maxResults": 25, "nextToken": token});
            let answer = list(&state, body).expect("page");
            pages += 1;
            seen.extend(answer.finding_ids);
            match answer.body["nextToken"].as_str() {
                Some("") | None => break,
                Some(next) => token = json!(next),
            }
        }
        assert_eq!(pages, 3);
        assert_eq!(seen.len(), 60);
        assert_eq!(seen.first().map(String::as_str), Some("f000"));
        assert_eq!(seen.last().map(String::as_str), Some("f118"));
    }

    #[test]
    fn max_results_outside_one_to_fifty_is_refused() {
        let state = state(numbered(3));
        for bad in [json!(0), json!(51), json!(-1), json!("10"), json!(2.5)] {
            let error = list(&state, json!({"maxResults": bad})).expect_err("refused");
            assert_eq!(
                (error.status.as_u16(), error.body_type),
                (400, "InvalidInputException")
            );
        }
        assert_eq!(
            list(&state, json!({})).map(|a| a.finding_ids.len()).ok(),
            Some(3)
        );
    }

    #[test]
    fn a_token_from_another_query_or_made_up_is_refused() {
        let state = state(numbered(120));
        let first = list(&state, json!({"maxResults": 10})).expect("page");
        let token = first.body["nextToken"].clone();
        let other = json!({"maxResults": 10, "nextToken": token, "sortCriteria": {"attributeName": "severity"}});
        assert!(list(&state, other).is_err());
        assert!(list(&state, json!({"nextToken": "1.0"})).is_err());
    }

    #[test]
    fn sorts_by_severity_descending() {
        let state = state(numbered(5));
        let body = json!({"sortCriteria": {"attributeName": "severity", "orderBy": "DESC"}});
        let answer = list(&state, body).expect("sorted");
        assert_eq!(answer.finding_ids, ["f004", "f003", "f002", "f001", "f000"]);
    }

    #[test]
    fn a_detector_of_another_region_is_invalid_input_behind_bad_request() {
        let state = state(numbered(1));
        let foreign = detector_id_for_region("us-west-2");
        let error = list_findings(&state, REGION, &foreign, &json!({})).expect_err("foreign");
        assert_eq!(error.header_type, "BadRequestException");
        assert_eq!(error.body_type, "InvalidInputException");
        assert!(error.message.contains("detectorId"), "{}", error.message);
        let off = get_findings(&state, "eu-west-3", &foreign, &json!({"findingIds": []}));
        assert!(off.is_err());
    }

    #[test]
    fn get_findings_omits_unknown_ids_and_does_not_keep_request_order() {
        let state = state(numbered(5));
        let detector = detector_id_for_region(REGION);
        let body = json!({"findingIds": ["f001", "nope", "f003", "f001", "f004"]});
        let answer = get_findings(&state, REGION, &detector, &body).expect("found");
        assert_eq!(answer.finding_ids, ["f004", "f003", "f001"]);
        assert_eq!(answer.body["findings"].as_array().map(Vec::len), Some(3));
    }

    #[test]
    fn get_findings_takes_at_most_fifty_ids() {
        let state = state(numbered(60));
        let detector = detector_id_for_region(REGION);
        let ids: Vec<String> = (0..51).map(|n| format!("f{n:03}")).collect();
        let error = get_findings(&state, REGION, &detector, &json!({"findingIds": ids}));
        assert_eq!(error.map_err(|e| e.status.as_u16()).err(), Some(400));
        let missing = get_findings(&state, REGION, &detector, &json!({}));
        assert!(missing.is_err());
    }
}
