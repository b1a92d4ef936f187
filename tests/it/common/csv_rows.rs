//! Reading the CSV that aimsdoc writes (`soa.csv`, `aimsdoc coverage --format csv`) with the
//! csv crate, so the tests check the files as a spreadsheet or script would read them.

/// Every record of a CSV text, the header row included.
pub(crate) fn parse_csv(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.expect("a well-formed CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}
