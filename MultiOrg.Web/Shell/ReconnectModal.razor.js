// Set up event handlers
const reconnectModal = document.getElementById("components-reconnect-modal");
reconnectModal.addEventListener("components-reconnect-state-changed", handleReconnectStateChanged);

const retryButton = document.getElementById("components-reconnect-button");
retryButton.addEventListener("click", retry);

const resumeButton = document.getElementById("components-resume-button");
resumeButton.addEventListener("click", resume);

// A tab hidden for Circuits:PauseHiddenAfterSeconds (another tab in front, the window minimised) pauses its circuit:
// the server hands the circuit's state to the browser and lets the circuit go. Shown again, the tab resumes in place; the
// resumed circuit enters its organization through the door again, so a role changed or a membership ended meanwhile
// applies before anything renders.
const pauseHiddenAfter = Number(reconnectModal.dataset.pauseHiddenAfter) * 1000;
let hiddenTimer = 0;
let hiddenPause = null;
let pausedWhileHidden = false;
if (pauseHiddenAfter > 0) {
    document.addEventListener("visibilitychange", pauseOrResumeWithVisibility);
}

function handleReconnectStateChanged(event) {
    if (pausedWhileHidden && (event.detail.state === "show" || event.detail.state === "paused")) {
        // Nobody sees a hidden tab, and shown again it resumes by itself: no "paused" dialog in between.
        return;
    }

    if (event.detail.state === "show") {
        reconnectModal.showModal();
    } else if (event.detail.state === "hide") {
        reconnectModal.close();
    } else if (event.detail.state === "failed") {
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    } else if (event.detail.state === "rejected") {
        location.reload();
    }
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenDocumentBecomesVisible);

    try {
        // Reconnect will asynchronously return:
        // - true to mean success
        // - false to mean we reached the server, but it rejected the connection (e.g., unknown circuit ID)
        // - exception to mean we didn't reach the server (this can be sync or async)
        const successful = await Blazor.reconnect();
        if (!successful) {
            // We have been able to reach the server, but the circuit is no longer available.
            // We'll reload the page so the user can continue using the app as quickly as possible.
            const resumeSuccessful = await Blazor.resumeCircuit();
            if (!resumeSuccessful) {
                location.reload();
            } else {
                reconnectModal.close();
            }
        }
    } catch (err) {
        // We got an exception, server is currently unavailable
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    }
}

async function resume() {
    try {
        const successful = await Blazor.resumeCircuit();
        if (!successful) {
            location.reload();
        }
    } catch {
        reconnectModal.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}

async function retryWhenDocumentBecomesVisible() {
    if (document.visibilityState === "visible") {
        await retry();
    }
}

async function pauseOrResumeWithVisibility() {
    clearTimeout(hiddenTimer);
    if (document.visibilityState === "hidden") {
        hiddenTimer = setTimeout(pauseHidden, pauseHiddenAfter);
        return;
    }

    const pause = hiddenPause;
    if (!pause) {
        return;
    }

    // A pause still under way is waited for: a resume during it would be refused.
    const paused = await pause;
    hiddenPause = null;
    pausedWhileHidden = false;
    if (!paused) {
        return;
    }

    try {
        if (!await Blazor.resumeCircuit()) {
            // The state the browser held is no longer accepted (it expired): the same address loads anew.
            location.reload();
        }
    } catch {
        // The server is out of reach: the dialog offers Resume, as after any pause that could not resume.
        reconnectModal.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
        if (!reconnectModal.open) {
            reconnectModal.showModal();
        }
    }
}

function pauseHidden() {
    if (document.visibilityState !== "hidden" || hiddenPause) {
        return;
    }

    if (hasWorkInProgress()) {
        // Asked again after the same delay: the person may come back to it first.
        hiddenTimer = setTimeout(pauseHidden, pauseHiddenAfter);
        return;
    }

    // Set first: the framework announces the pause to the dialog before its call to the server returns.
    pausedWhileHidden = true;

    // No circuit (a statically rendered account page) or not connected: nothing to pause, and nothing to resume later.
    hiddenPause = Blazor.pauseCircuit().catch(() => false);
}

// A resumed circuit renders its page anew: an open dialog, or a field the person was typing in when they left, would be
// lost. Such a tab keeps its circuit while hidden.
function hasWorkInProgress() {
    const active = document.activeElement;
    const typing = active instanceof HTMLInputElement ? !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(active.type)
        : active instanceof HTMLTextAreaElement || active?.isContentEditable === true;
    return typing || document.querySelector(".mud-dialog") !== null;
}
