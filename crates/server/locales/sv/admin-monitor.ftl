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
