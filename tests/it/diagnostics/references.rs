//! References between documents: wiki links, relative links and their anchors, and the
//! `related` and `supersedes` fields.

use super::table::*;
use crate::common::*;

diag_cases! {
    /// Columns count characters: the line has `è` and `«` before the link.
    broken_wiki_link_points_at_the_link: fixture_case("broken-wiki-link")
        .fails(1, 1)
        .expect(
            error(
                "AIMS0201",
                "unknown-document",
                "no document or catalog entry has the id `POL-AI-002`",
            )
            .at("policies/ai-policy.md", "[[POL-AI-002]]")
            .help("did you mean POL-AI-001?"),
        );

    wiki_link_to_a_missing_anchor: fixture_case("missing-anchor")
        .fails(1, 1)
        .expect(
            error(
                "AIMS0202",
                "missing-anchor",
                "POL-AI-001 has no heading with the anchor `#missing-anchor`",
            )
            .at("procedures/risk.md", "[[POL-AI-001#missing-anchor]]")
            .help(contains(&["principles"])),
        );

    relative_link_to_a_missing_file: fixture_case("missing-file")
        .fails(1, 1)
        .expect(
            error(
                "AIMS0203",
                "missing-file",
                "link `../nope.md` points to nope.md, which is not a document of this AIMS",
            )
            .at("policies/ai-policy.md", "[x](../nope.md)"),
        );

    relative_link_to_a_missing_anchor: fixture_case("relative-missing-anchor")
        .fails(1, 1)
        .expect(
            error(
                "AIMS0202",
                "missing-anchor",
                "POL-AI-001 has no heading with the anchor `#nope`",
            )
            .at("policies/use.md", "[the rest]")
            .help("its anchors are: principles"),
        );

    relative_link_escaping_the_root: fixture_case("link-escapes-root")
        .fails(1, 1)
        .expect(
            error(
                "AIMS0203",
                "missing-file",
                "link `../../outside.md` points outside the AIMS folder",
            )
            .at("policies/ai-policy.md", "[the parent]"),
        );

    unknown_related_and_superseded_documents: edited(None, |root| {
            write(
                root,
                "policies/p.md",
                "---\nid: POL-AI-001\ntitle: P\nrelated: [POL-AI-001, PRO-RISK-009]\nsupersedes: POL-OLD-001\n---\n",
            );
            write(root, "procedures/r.md", "---\nid: PRO-RISK-001\ntitle: R\n---\n");
        })
        .fails(2, 1)
        .expect(
            error(
                "AIMS0201",
                "unknown-document",
                "no document or catalog entry has the id `PRO-RISK-009`",
            )
            .at("policies/p.md", "PRO-RISK-009")
            .help(starts_with("did you mean PRO-RISK-001")),
        )
        .expect(
            error(
                "AIMS0201",
                "unknown-document",
                "no document or catalog entry has the id `POL-OLD-001`",
            )
            .at("policies/p.md", "POL-OLD-001")
            .help(Text::NonEmpty),
        );
}
