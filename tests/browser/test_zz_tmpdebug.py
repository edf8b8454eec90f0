import json
from axe_playwright_python.sync_playwright import Axe
from tests.browser.axe_scan import AXE_OPTIONS
from tests.browser.test_circulation import *  # noqa
from tests.browser.test_circulation import _send_one_review, _own_browser

def test_debug(page, fresh_server, browser):
    sign_in(page, fresh_server, "chair")
    open_page(page, fresh_server, CIRCULATIONS, interactive=True)
    _send_one_review(page)
    for who, p in (("chair", page),):
        r = Axe().run(p, options=AXE_OPTIONS).response
        for v in r["violations"]:
            for n in v["nodes"]:
                print(who, v["id"], json.dumps(n.get("any"), indent=1)[:1500])
        print(who, p.evaluate("""() => [...document.querySelectorAll('[data-testid=stCaptionContainer] p')].map(e => {
            const s = getComputedStyle(e); return [e.innerText.slice(0,40), s.color, s.opacity, getComputedStyle(e.parentElement).color, getComputedStyle(e.parentElement).opacity]})"""))
    with _own_browser(browser) as v:
        sign_in(v, fresh_server, "lived")
        open_page(v, fresh_server, CIRCULATIONS, interactive=True)
        r = Axe().run(v, options=AXE_OPTIONS).response
        for x in r["violations"]:
            for n in x["nodes"]:
                print("lived", x["id"], json.dumps(n.get("any"), indent=1)[:1500])
        print("lived", v.evaluate("""() => [...document.querySelectorAll('[data-testid=stCaptionContainer] p')].map(e => {
            const s = getComputedStyle(e); return [e.innerText.slice(0,40), s.color, s.opacity, getComputedStyle(e.parentElement).color]})"""))
