/* The visitor's time zone, read once from the browser into the `hrnet_tz` cookie, so the
   server shows times in it (accounts.middleware.UserPreferencesMiddleware). A page that
   shows times names its zone in a `data-time-zone` attribute; when the cookie was missing
   and that zone differs, the page reloads once (a sessionStorage flag stops any loop, and
   nothing reloads when cookies are refused). No dependencies, no inline script (CSP). */
(function () {
  "use strict";
  var NAME = "hrnet_tz";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) {
    return;
  }
  function cookie() {
    var match = document.cookie.match(/(?:^|;\s*)hrnet_tz=([^;]*)/);
    return match ? match[1] : null;
  }
  var before = cookie();
  if (before === zone) {
    return;
  }
  document.cookie =
    NAME + "=" + zone + "; path=/; max-age=31536000; SameSite=Lax" +
    (location.protocol === "https:" ? "; Secure" : "");
  if (before !== null || cookie() !== zone) {
    return; // a zone that changed shows from the next page on; refused cookies: no reload
  }
  var marked = document.querySelector("[data-time-zone]");
  var pageZone = marked ? marked.getAttribute("data-time-zone") : null;
  if (!pageZone || pageZone === zone) {
    return;
  }
  try {
    if (sessionStorage.getItem(NAME + "_reloaded")) {
      return;
    }
    sessionStorage.setItem(NAME + "_reloaded", "1");
  } catch (error) {
    return; // no storage to guard the reload with: better no reload than a loop
  }
  location.reload();
})();
