// Small browser helpers the Blazor components call through JS interop.
window.multiOrg = {
    // Saves text the server produced (CSV exports) as a file, without a second request.
    download(fileName, contentType, text) {
        const url = URL.createObjectURL(new Blob([text], { type: contentType }));
        const link = document.createElement("a");
        link.href = url;
        link.download = fileName;
        document.body.appendChild(link);
        link.click();
        link.remove();
        URL.revokeObjectURL(url);
    },

    // Marks the section link the URL fragment names (aria-current), after a click, a hash change or going back, and
    // brings that section into view; the listeners end with the page (the navigation leaves the document).
    sectionNav(nav) {
        const mark = () => {
            if (!nav.isConnected) {
                window.removeEventListener("hashchange", mark);
                window.removeEventListener("popstate", mark);
                return;
            }

            const id = decodeURIComponent(location.hash.slice(1));
            for (const link of nav.querySelectorAll("a")) {
                if (id && link.hash.slice(1) === id) {
                    link.setAttribute("aria-current", "location");
                    // On a phone the row scrolls sideways: the current link is kept in sight, the page itself not moved.
                    nav.scrollLeft = link.offsetLeft - (nav.clientWidth - link.offsetWidth) / 2;
                } else {
                    link.removeAttribute("aria-current");
                }
            }
        };
        nav.addEventListener("click", () => setTimeout(mark, 0));
        window.addEventListener("hashchange", mark);
        window.addEventListener("popstate", mark);
        mark();
        this.revealFragment();
    },

    // The organization switcher's list keys (#27): the WAI-ARIA menu pattern's arrows (wrapping), Home/End and
    // type-ahead (the next item whose name starts with what was typed within the last moment), Enter/Space to choose.
    // In a searchable list a typed character goes to the search box instead, which searches every organization, not
    // only the rows shown. Escape and Tab stay MudMenu's: it closes the list and focuses its button again.
    menuKeys(container) {
        // Called after every render of the list: the first call listens, each one makes sure an open list has focus
        // (opened by a click, MudMenu may focus its wrapper before the list is there, and Escape would then not reach it).
        const focusIn = frames => {
            const popover = container.closest(".mud-popover");
            if (!container.isConnected || popover?.contains(document.activeElement)) {
                return;
            }

            if (popover?.classList.contains("mud-popover-open")) {
                (container.querySelector("input") ?? container.querySelector("[role=menuitem]"))?.focus();
            } else if (frames > 0) {
                requestAnimationFrame(() => focusIn(frames - 1));
            }
        };
        focusIn(10);

        if (container.dataset.keys) {
            return;
        }

        container.dataset.keys = "on";
        let typed = "", typedAt = 0;
        const items = () => [...container.querySelectorAll("[role=menuitem]")];
        const nameOf = item => (item.dataset.name ?? item.textContent).trim().toLocaleLowerCase();
        const search = () => container.querySelector("input");
        container.addEventListener("keydown", e => {
            if (e.key === "Escape" || e.key === "Tab" || e.altKey || e.ctrlKey || e.metaKey) {
                return;
            }

            // MudMenu's handlers would act on the items it registered when it opened: none of the list's keys reach it.
            e.stopPropagation();
            const list = items();
            const inSearch = e.target === search();
            const index = list.indexOf(e.target.closest("[role=menuitem]"));
            let next = -1;
            if (e.key === "ArrowDown") {
                next = inSearch ? 0 : (index + 1) % list.length;
            } else if (e.key === "ArrowUp") {
                next = inSearch ? list.length - 1 : (index - 1 + list.length) % list.length;
            } else if ((e.key === "Home" || e.key === "End") && !inSearch) {
                next = e.key === "Home" ? 0 : list.length - 1;
            } else if ((e.key === "Enter" || e.key === " ") && index >= 0) {
                e.preventDefault();
                list[index].click();
                return;
            } else if (e.key.length === 1 && !inSearch) {
                if (search()) {
                    search().focus();
                    return;
                }

                typed = e.timeStamp - typedAt < 700 ? typed + e.key.toLocaleLowerCase() : e.key.toLocaleLowerCase();
                typedAt = e.timeStamp;
                const order = [...list.slice(index + 1), ...list.slice(0, index + 1)];
                const repeat = [...typed].every(c => c === typed[0]);
                const match = order.find(item => nameOf(item).startsWith(typed))
                    ?? (repeat ? order.find(item => nameOf(item).startsWith(typed[0])) : undefined);
                next = match ? list.indexOf(match) : -1;
                e.preventDefault();
            }

            if (next >= 0 && list.length > 0) {
                e.preventDefault();
                list[next].focus();
            }
        });
    },

    // A dialog hands focus back to what opened it when it closes (WAI-ARIA dialog pattern), wherever MudBlazor's own
    // focus handling left it. The opener is the element focus came from as it entered the dialog.
    dialogFocusReturn() {
        const openers = new Map();
        document.addEventListener("focusin", e => {
            const dialog = e.target.closest?.(".mud-dialog");
            if (dialog && !openers.has(dialog) && e.relatedTarget && !e.relatedTarget.closest(".mud-dialog")) {
                openers.set(dialog, e.relatedTarget);
            }
        });
        new MutationObserver(() => {
            for (const [dialog, opener] of openers) {
                if (!dialog.isConnected) {
                    openers.delete(dialog);
                    if (opener.isConnected) {
                        opener.focus();
                    }
                }
            }
        }).observe(document.body, { childList: true, subtree: true });
    },

    // Submits a form by id (the account menu's sign-out item is a menu item, its form a plain POST beside it).
    submit(id) {
        document.getElementById(id)?.requestSubmit();
    },

    // The skip link moves focus (not only the scroll position) into the main landmark, on every page including the
    // statically rendered account pages. It listens before Blazor's own link handling, which would only scroll.
    skipLinks() {
        document.addEventListener("click", e => {
            const link = e.target.closest?.(".mo-skip-link");
            const main = document.getElementById("main-content");
            if (link && main) {
                e.preventDefault();
                main.focus();
            }
        }, true);
    },

    // After a switch of organization (and, with always, after any navigation inside the app: Shell/HeadingFocus.razor):
    // focus to the new page's main heading once it is there (a page may still be loading it), unless, after a switch,
    // the person has moved on meanwhile (focus is no longer on <body> or the switcher's button).
    focusMainHeading(always) {
        const idle = () => always || document.activeElement === document.body || document.activeElement?.closest(".mo-switcher");
        const tryFocus = () => {
            const heading = document.querySelector("#main-content h1");
            if (heading && idle()) {
                heading.focus();
            }
            return heading !== null;
        };
        if (tryFocus()) {
            return;
        }

        const main = document.getElementById("main-content");
        if (!main) {
            return;
        }

        const watch = new MutationObserver(() => tryFocus() && watch.disconnect());
        watch.observe(main, { childList: true, subtree: true });
        setTimeout(() => watch.disconnect(), 15000);
    },

    // Brings the element the URL fragment names into view, again each time the content above it grows (sections that
    // load their data after the circuit starts), until the layout holds still for a moment or the person scrolls.
    revealFragment() {
        const id = decodeURIComponent(location.hash.slice(1));
        if (!id) {
            return;
        }

        let lastTop = null, stillFrames = 0, frames = 0, stopped = false;
        const stop = () => { stopped = true; };
        for (const type of ["wheel", "touchstart", "keydown", "mousedown"]) {
            window.addEventListener(type, stop, { once: true, passive: true });
        }

        const step = () => {
            const target = document.getElementById(id);
            if (stopped || !target) {
                return;
            }

            const top = target.getBoundingClientRect().top + window.scrollY;
            if (top !== lastTop) {
                target.scrollIntoView({ block: "start" });
                lastTop = top;
                stillFrames = 0;
            } else {
                stillFrames++;
            }

            if (stillFrames < 30 && ++frames < 600) {
                requestAnimationFrame(step);
            }
        };
        requestAnimationFrame(step);
    },
};
window.multiOrg.skipLinks();
window.multiOrg.dialogFocusReturn();
