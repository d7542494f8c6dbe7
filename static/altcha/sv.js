// The ALTCHA widget's sv strings, from altcha-django's i18n/all.js
// (MIT). Written by manage.py vendor_altcha_assets.
globalThis.$altcha.i18n.set("sv", {
  "ariaLinkLabel": "Altcha (officiell webbplats)",
  "cancel": "Avbryt",
  "enterCode": "Ange kod",
  "enterCodeAria": "Ange koden du hör. Tryck på mellanslag för att spela upp ljudet.",
  "enterCodeFromImage": "För att fortsätta, ange koden från bilden nedan.",
  "error": "Verifiering misslyckades. Försök igen senare.",
  "expired": "Verifieringen har gått ut. Försök igen.",
  "footer": "Skyddad av <a href=\"https://altcha.org/\" tabindex=\"-1\" target=\"_blank\" rel=\"noopener\" aria-label=\"Altcha (officiell webbplats)\">ALTCHA</a>",
  "getAudioChallenge": "Få ljudutmaning",
  "label": "Jag är inte en robot",
  "loading": "Laddar...",
  "reload": "Ladda om",
  "verificationRequired": "Verifiering krävs!",
  "verified": "Verifierad",
  "verify": "Verifiera",
  "verifying": "Verifierar...",
  "waitAlert": "Verifierar... vänligen vänta."
});
