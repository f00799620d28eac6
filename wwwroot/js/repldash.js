// Small browser helpers for the dashboard (called through IJSRuntime).
window.replDash = {
    // Remembers the operator's theme for a year; App.razor reads it on the next request so the first HTML is
    // already in that theme (no white flash for a dark-theme user).
    saveTheme: function (name, value) {
        document.cookie = name + "=" + encodeURIComponent(value) + "; path=/; max-age=31536000; SameSite=Lax";
    }
};
