//! Server functions and the wire types they exchange with the browser.
//!
//! Thin by design: parse → authorize → call a use case in `server::service`
//! → map the error to [`error::AppError`]. The JSON API of the server crate
//! calls the same use cases.
pub mod admin;
pub mod auth;
pub mod bookings;
pub mod catalog;
pub mod draws;
pub mod error;
pub mod staff;
pub mod types;

#[cfg(feature = "ssr")]
pub mod ctx;

#[cfg(test)]
mod tests {
    /// One name per server function: the endpoint (`/sfn/<name>`) is the
    /// Rust function's name, so a URL in a log or a test names the code.
    #[test]
    fn every_endpoint_is_its_function_name() {
        let sources = [
            include_str!("admin.rs"),
            include_str!("auth.rs"),
            include_str!("bookings.rs"),
            include_str!("catalog.rs"),
            include_str!("draws.rs"),
            include_str!("staff.rs"),
        ];
        let mut seen = 0;
        for src in sources {
            let mut lines = src.lines();
            while let Some(line) = lines.next() {
                let Some(rest) = line
                    .trim()
                    .strip_prefix("#[server(prefix = \"/sfn\", endpoint = \"")
                else {
                    continue;
                };
                let endpoint = rest.split('"').next().unwrap_or_default();
                let decl = lines.next().unwrap_or_default();
                let name = decl
                    .trim()
                    .strip_prefix("pub async fn ")
                    .and_then(|r| r.split(['(', '<']).next())
                    .unwrap_or_default();
                assert_eq!(endpoint, name, "{decl}");
                seen += 1;
            }
        }
        assert!(seen >= 40, "found only {seen} server functions");
    }
}
