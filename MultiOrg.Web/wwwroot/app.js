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
