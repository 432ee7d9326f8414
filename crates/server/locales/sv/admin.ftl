# pinreset administrationscenter — svenska (gränssnittets texter). Felens orsaker och åtgärder finns i errors.ftl.

## Ram
app-admin-center = Administrationscenter
skip-to-content = Hoppa till innehållet
header-tenant = Organisation
language = Språk
language-apply = Använd
sign-out = Logga ut
nav-open = Meny
nav-label = Navigering i administrationscentret
nav-home = Start
nav-devices = Enheter
nav-device-actions = Enhetsåtgärder
nav-profiles = Konfigurationsprofiler
nav-users-groups = Användare och grupper
nav-tenant-admin = Klientadministration
nav-readiness = Beredskap för återställning
nav-audit = Granskningslogg
nav-settings = Inställningar
nav-coming-soon = Kommer snart

## Inloggning
sign-in-title = Logga in
sign-in-intro = Logga in med ditt arbetskonto för att hantera organisationens enheter.
sign-in-email = E-postadress
sign-in-password = Lösenord
sign-in-submit = Logga in
sign-in-wait-until = Du kan försöka igen efter { $when }.
sign-in-or = eller
sign-in-sso = Logga in med { $organisation }

## Enheter › Alla enheter
devices-all = Alla enheter
devices-search = Sök
devices-search-placeholder = Sök på namn, modell, serienummer eller IMEI
devices-platform = Plattform
devices-platform-any = Alla plattformar
devices-ownership = Ägarskap
devices-ownership-any = Alla ägarskap
devices-owner-filter = Ägare: { $owner }
devices-owner-filter-remove = Visa alla ägares enheter
devices-only-owner = Bara den här ägarens enheter
devices-sort = Sortera efter
devices-sort-direction = Ordning
devices-sort-asc = Stigande
devices-sort-desc = Fallande
devices-clear = Rensa filter
devices-count = Visar { $first }–{ $last } av { $total } enheter
devices-none = Inga enheter matchar sökningen.
paging-label = Sidor
paging-previous = Föregående
paging-next = Nästa
col-name = Enhetsnamn
col-owner = Primär användare
col-platform = Plattform
col-os-version = OS-version
col-ownership = Ägarskap
col-management = Hanteringsstatus
col-last-check-in = Senaste incheckning
col-pending = Väntande åtgärder
pending-badge = Väntar
device-no-owner = Ingen primär användare
device-never = Aldrig
management-managed = Hanterad
management-retired = Avregistrerad

## Enhetsöversikt
device-actions-label = Enhetsåtgärder
device-sync = Synkronisera
device-why-link = Vad du kan göra
device-pending =
    { $count ->
        [one] 1 åtgärd väntar
       *[other] { $count } åtgärder väntar
    }
device-properties = Egenskaper
prop-name = Enhetsnamn
prop-owner = Primär användare
prop-platform = Plattform
prop-os-version = OS-version
prop-os-build = OS-version (build)
prop-model = Modell
prop-serial = Serienummer
prop-imei = IMEI
prop-ownership = Ägarskap
prop-management-mode = Hanteringsläge
prop-reset-token = Återställningstoken
reset-token-none = Ingen
reset-token-inactive = Inaktiv: användaren måste bekräfta sitt skärmlås en gång
reset-token-active = Aktiv
prop-join-type = Typ av Azure AD-anslutning
prop-management-state = Hanteringsstatus
prop-enrolled = Registrerad
prop-last-check-in = Senaste incheckning
device-result-title = Återställ lösenord
device-result-show = Visa lösenord
device-result-show-pin = Visa PIN-kod
device-result-expires = Tillgängligt till { $when }
device-result-removed = Lösenordet har tagits bort från enheten. Användaren anger ett nytt efter att ha låst upp den.
device-passcode-label = Tillfälligt lösenord
device-pin-label = PIN-kod för låsning
device-passcode-hint = Ge det till användaren personligen eller per telefon. Användaren ombeds byta det efter upplåsningen.
device-copy = Kopiera
device-copied = Kopierat
device-copy-failed = Markera lösenordet och kopiera det
device-expires-in-days = Går ut om { $days ->
        [one] 1 dag
       *[other] { $days } dagar
    }{ $hours ->
        [0] {""}
        [one] {" "}1 timme
       *[other] {" "}{ $hours } timmar
    }
device-expires-in-hours = Går ut om { $hours ->
        [one] 1 timme
       *[other] { $hours } timmar
    }
device-expires-in-minutes = Går ut om { $minutes ->
        [one] 1 minut
       *[other] { $minutes } minuter
    }
device-expired = Har gått ut
confirm-lock-message = Meddelande på låsskärmen
confirm-optional = (valfritt)
confirm-lock-message-placeholder = t.ex. Enheten är låst. Ring IT-avdelningen.
confirm-lock-phone = Telefonnummer på låsskärmen
confirm-lock-message-hint = Enheten visar båda på låsskärmen tills den låses upp.
device-history = Åtgärdshistorik
device-history-none = Inga åtgärder har begärts för den här enheten.
device-detail = Enheten rapporterade: { $detail }
device-commands = Kommandohistorik
device-commands-none = Inga kommandon har skickats till den här enheten ännu.
col-action = Åtgärd
col-state = Status
col-requested = Begärd
col-updated = Senast ändrad
col-outcome = Resultat
col-time = Tid
col-direction = Riktning
col-detail = Detalj
command-sent = Skickat
command-answered = Enhetens svar
notice-queued = { $action } har begärts. Enheten utför åtgärden vid nästa incheckning.
notice-synced = Enheten har ombetts att checka in.

## Bekräftelse
confirm-title = { $action }: { $device }
confirm-submit = { $action }
confirm-cancel = Avbryt
confirm-new-name = Nytt enhetsnamn
confirm-reset-passcode-temporary = Det nuvarande lösenordet på { $device } ersätts med ett tillfälligt lösenord. När enheten har svarat kan du visa det tillfälliga lösenordet på enhetens sida i 7 dagar.
confirm-reset-passcode-clear = Lösenordet på { $device } tas bort. Inget tillfälligt lösenord anges: användaren låser upp enheten utan lösenord och anger ett nytt.
confirm-remote-lock = { $device } låses direkt. Användaren låser upp den med sitt eget lösenord.
confirm-remote-lock-pin = { $device } låses med en 6-siffrig PIN-kod som den här servern skapar. Du kan visa PIN-koden på enhetens sida.
confirm-reset-device = { $device } raderas och återställs till fabriksinställningarna. Allt på enheten går förlorat. Det går inte att ångra.
confirm-remove = { $device } tas bort från hanteringen: företagets appar, data och inställningar raderas och enheten slutar checka in.
confirm-rename = { $device } får namnet nedan.

## Problem och felkatalogen
problem-title = Något gick fel
problem-what-to-do = Vad du kan göra
problem-code = Felkod
problem-back = Tillbaka till Alla enheter
errors-title = Felkatalog
errors-intro = Alla avslag och fel som pinreset rapporterar, och vad du kan göra åt dem.

## Värden från motorn
action-reset-passcode = Återställ lösenord
action-remote-lock = Fjärrlåsning
action-reset-device = Återställ enheten
action-remove = Ta bort
action-rename = Byt namn
state-requested = Begärd
state-queued = I kö
state-delivered = Skickad till enheten
state-acknowledged = Bekräftad
state-succeeded = Lyckades
state-failed = Misslyckades
state-expired = Har upphört
state-cancelled = Avbruten
result-temporary-passcode = Tillfälligt lösenord angivet
result-passcode-removed = Lösenordet borttaget
result-lock-pin = Låst med PIN-kod
result-done = Klart
platform-windows = Windows
platform-windows_mobile = Windows 10 Mobile
platform-windows_phone = Windows Phone 8.1
platform-ios = iOS
platform-ipados = iPadOS
platform-macos = macOS
platform-android = Android
ownership-corporate = Företag
ownership-personal = Personlig
mode-mdm = MDM
mode-user_enrollment = Användarregistrering
mode-shared_ipad = Delad iPad
mode-device_admin = Enhetsadministratör
mode-device_owner = Fullständigt hanterad
mode-work_profile = Arbetsprofil
join-azure_ad_joined = Azure AD-ansluten
join-hybrid_azure_ad_joined = Hybrid Azure AD-ansluten
join-azure_ad_registered = Azure AD-registrerad
join-not_joined = Inte ansluten
role-tenant_admin = Klientadministratör
role-help_desk = Supporttekniker
role-read_only = Endast läsning
role-end_user = Slutanvändare
