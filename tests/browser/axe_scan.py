"""axe-core scans shared by the browser tests, and the JSON summary of every finding.

A page is scanned while a test is already on it (the navigation tour visits every page of every role),
so the accessibility tests need not load each page a second time; they scan whatever is missing.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.support import wait_ready

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
    # Only streamlit-authenticator's hidden cookie iframe is framed; axe is not injected there, and
    # waiting for it would only time out. The <iframe> element itself is still checked (frame-title).
    "iframes": False,
}
BLOCKING = frozenset({"serious", "critical"})
IMPACTS = ("critical", "serious", "moderate", "minor")

# Where a node sits in Streamlit terms: its nearest data-testid ancestors (emotion class names change
# between Streamlit releases, data-testid values do not).
_DESCRIBE_JS = """selectors => selectors.map(selector => {
    const element = document.querySelector(selector);
    if (!element) return selector;
    const names = [];
    for (let node = element.parentElement; node && names.length < 3; node = node.parentElement) {
        const id = node.getAttribute('data-testid');
        if (id && !['stVerticalBlock', 'stElementContainer', 'stHorizontalBlock'].includes(id)) names.unshift(id);
    }
    return [...names, element.tagName.toLowerCase()].join(' > ');
})"""


@dataclass
class AxeScanner:
    scans: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    axe: Axe = field(default_factory=Axe)

    def scan(self, page: Page, *, key: str, label: str, account: str, role: str) -> dict[str, Any]:
        """Scan the page as it is now (after any follow-up rerun) and record it under (account, key)."""
        wait_ready(page)  # a rerun dims stale elements, which would fake contrast failures
        response = self.axe.run(page, options=AXE_OPTIONS).response
        violations = []
        for v in response["violations"]:
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"]]
            violations.append({
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "helpUrl": v["helpUrl"],
                "targets": targets,
                "elements": page.evaluate(_DESCRIBE_JS, targets),
                "html": [n.get("html", "")[:200] for n in v["nodes"]],
            })
        scan = {"page": label, "account": account, "role": role, "url": page.url, "violations": violations}
        self.scans[(account, key)] = scan
        return scan

    def get(self, account: str, key: str) -> dict[str, Any] | None:
        return self.scans.get((account, key))

    @staticmethod
    def blocking(scan: dict[str, Any]) -> list[str]:
        """The serious/critical findings of one scan, one readable line each."""
        return [
            f"{scan['page']} as {scan['account']} ({scan['role']}): {v['id']} [{v['impact']}] {v['help']}"
            f" -> {'; '.join(f'{e} ({t})' for e, t in zip(v['elements'], v['targets'], strict=True))}"
            for v in scan["violations"]
            if v["impact"] in BLOCKING
        ]

    def write_summary(self, path: Path) -> None:
        rules: Counter[str] = Counter()
        nodes: Counter[str] = Counter()
        by_rule: dict[str, dict[str, Any]] = {}
        for scan in self.scans.values():
            for v in scan["violations"]:
                impact = v["impact"] or "unknown"
                rules[impact] += 1
                nodes[impact] += len(v["targets"])
                entry = by_rule.setdefault(
                    v["id"], {"impact": impact, "help": v["help"], "helpUrl": v["helpUrl"], "where": []}
                )
                entry["where"].append({"page": scan["page"], "account": scan["account"], "elements": v["elements"]})
        summary = {
            "tags": WCAG_TAGS,
            "scans": len(self.scans),
            "violations_by_impact": {**dict.fromkeys(IMPACTS, 0), **rules},  # one per rule per scanned page
            "nodes_by_impact": {**dict.fromkeys(IMPACTS, 0), **nodes},  # one per failing element
            "rules": by_rule,
            "pages": list(self.scans.values()),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(summary, indent=2), encoding="utf-8")
