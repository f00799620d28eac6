// Starts Blazor and drives the reconnect dialog (Components/Layout/ReconnectModal.razor). The dashboard's
// server is also the cluster: when it stops, the page says so and keeps trying; when it is back (a new process
// that does not know this circuit), the page reloads itself.
(function () {
    const modal = document.getElementById("components-reconnect-modal");
    let polling = null;

    function reloadWhenServerAnswers() {
        if (polling) return;
        polling = setInterval(async function () {
            try {
                const response = await fetch(location.href, { method: "HEAD", cache: "no-store" });
                if (response.ok) location.reload();
            } catch (e) {
                // still down
            }
        }, 2000);
    }

    modal.addEventListener("components-reconnect-state-changed", function (event) {
        const state = event.detail.state;
        // Blazor sets the classes that pick the visible text; the state is kept for tests and styling.
        modal.dataset.state = state;
        if (state === "show" || state === "retrying" || state === "paused") {
            if (!modal.open) modal.showModal();
        } else if (state === "hide") {
            if (modal.open) modal.close();
        } else if (state === "failed") {
            if (!modal.open) modal.showModal();
            reloadWhenServerAnswers();
        } else if (state === "rejected") {
            // The server is back but does not know this circuit: it is a new process.
            location.reload();
        }
    });

    document.getElementById("components-reconnect-button").addEventListener("click", async function () {
        try {
            if (!(await Blazor.reconnect())) location.reload();
        } catch (e) {
            reloadWhenServerAnswers();
        }
    });
    document.getElementById("components-resume-button").addEventListener("click", async function () {
        try {
            if (!(await Blazor.resumeCircuit())) location.reload();
        } catch (e) {
            location.reload();
        }
    });

    Blazor.start({
        circuit: {
            reconnectionOptions: {
                // Roughly ten minutes of attempts every two seconds; after that, polling reloads the page.
                maxRetries: 300,
                retryIntervalMilliseconds: 2000,
            },
        },
    });
})();
