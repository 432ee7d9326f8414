# Övervakningssidor: Start, Enhetsåtgärder, Beredskap för återställning, Granskningslogg.

home-title = Start
home-devices = Enheter
home-pending = Väntande åtgärder
home-failed = Misslyckade åtgärder
home-not-ready = Enheter som inte kan återställas nu
home-by-platform = Enheter per plattform
home-actions-chart = Åtgärder per dag, senaste 30 dagarna
home-actions-chart-summary = { $count } åtgärder de senaste 30 dagarna, varav { $failed } misslyckades
home-day-summary = { $succeeded } lyckades, { $failed } misslyckades, { $other } väntande eller annat
home-succeeded = Lyckades
home-failed-short = Misslyckades
home-other = Väntande eller annat
home-chart-as-table = Visa siffrorna som tabell
home-day = Dag (UTC)
home-readiness-link = Visa alla enheter som inte kan återställas (ingen incheckning på { $days } dagar räknas)

monitor-title = Enhetsåtgärder
monitor-intro = Alla fjärråtgärder i din organisation: misslyckade först, sedan de senaste.
monitor-device-search = Sök enheter efter namn, modell eller serienummer
monitor-state-any = Alla statusar
monitor-state-failed = Misslyckades
monitor-state-pending = Väntande
monitor-state-succeeded = Lyckades
monitor-state-expired = Har upphört
monitor-state-cancelled = Avbruten
monitor-kind-any = Alla åtgärder
monitor-filter = Använd
monitor-count = Visar { $first }–{ $last } av { $total } åtgärder
monitor-col-device = Enhet
monitor-col-requester = Begärd av
monitor-col-finished = Avslutad
monitor-none = Inga åtgärder matchar filtren.
monitor-requester-device = Enheten
monitor-requester-system = System ({ $component })

readiness-title = Beredskap för återställning
readiness-intro = Enheter vars lösenord inte skulle kunna återställas om ägaren blev utelåst just nu, varför och hur det åtgärdas.
readiness-group = Enhetsgrupp
readiness-group-all = Alla enheter
readiness-stale-days = Ingen incheckning på (dagar)
readiness-download-csv = Ladda ned CSV
readiness-devices = Hanterade enheter
readiness-not-ready = Kan inte återställas nu
readiness-col-reason = Orsak
readiness-col-fix = Åtgärd
readiness-all-ready = Alla enheter kan få sitt lösenord återställt just nu.
readiness-by-reason = Enheter som inte kan återställas, per orsak
readiness-devices-count = { $count ->
    [one] { $count } enhet
   *[other] { $count } enheter
}
readiness-stale = Enheten har inte checkat in på { $days } dagar eller mer och skulle därför inte ta emot återställningen.
readiness-stale-fix = Be ägaren att starta enheten och ansluta den till internet, eller synkronisera den; ta bort den om den inte finns längre.

audit-title = Granskningslogg
audit-intro = Allt som hänt i din organisation, senaste först. Varje gång ett lösenord visas registreras det.
audit-actor = Utförare
audit-device = Enhet
audit-device-placeholder = Enhets-id
audit-kind = Händelse
audit-any = Alla
audit-from = Från (UTC)
audit-to = Till (UTC)
audit-export-csv = Exportera CSV
audit-export-jsonl = Exportera JSON Lines
audit-col-at = Tid
audit-passcode-revealed = Lösenord visat
audit-only-this-device = bara denna enhet
audit-none = Inga händelser matchar filtren.
audit-newest = Senaste
audit-older = Äldre

## Audit event kinds (labels::audit_kind)
event-action_requested = Åtgärd begärd
event-action_refused = Åtgärd nekad
event-action_transition = Åtgärdens status ändrad
event-passcode_read = Lösenord visat
event-passcode_read_refused = Visning av lösenord nekad
event-passcode_purged = Lösenord rensat
event-consent_changed = Medgivande för PIN-återställning ändrat
event-settings_changed = Inställningar ändrade
event-enrollment_profile_issued = Registreringsprofil utfärdad
event-push_sent = Pushnotis skickad
event-push_failed = Pushnotis misslyckades
event-device_deferred = Enheten sköt upp ett kommando
event-command_sent = Kommando skickat till enheten
event-command_result = Enheten svarade på ett kommando
event-profile_saved = Konfigurationsprofil sparad
event-profile_assigned = Konfigurationsprofil tilldelad
event-token_created = API-token skapad
event-sign_in = Inloggning
event-reenrollment_requested = Omregistrering begärd
event-reenrollment_approved = Omregistrering godkänd
event-reenrollment_rejected = Omregistrering avvisad
event-device_reenrolled = Enheten omregistrerad
event-sign_in_throttled = Inloggningar begränsade
event-account_locked = Konto låst
event-account_unlocked = Konto upplåst
event-user_created = Användare skapad
event-user_changed = Användare ändrad
event-user_deleted = Användare borttagen
event-device_owner_changed = Enhetens ägare ändrad
event-group_created = Grupp skapad
event-group_changed = Gruppmedlemskap ändrat
event-token_revoked = API-token återkallad
