//! The OpenAPI document of the JSON API, kept by hand; a test checks that every
//! route of [`crate::app::API_ROUTES`] is in it and nothing else.

/// The document served at `/api/v1/openapi.json`.
pub const DOCUMENT: &str = include_str!("openapi.json");

#[cfg(test)]
mod tests {
    #[test]
    fn every_route_is_documented_and_nothing_else() {
        let doc: serde_json::Value =
            serde_json::from_str(super::DOCUMENT).expect("openapi.json is JSON");
        assert_eq!(doc["openapi"], "3.1.0");
        let paths = doc["paths"].as_object().expect("paths");
        let mut documented = Vec::new();
        for (path, ops) in paths {
            for method in ops.as_object().expect("operations").keys() {
                documented.push((method.clone(), path.clone()));
            }
        }
        documented.sort();
        let mut routes: Vec<(String, String)> = crate::app::API_ROUTES
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        routes.sort();
        assert_eq!(documented, routes);
    }
}
