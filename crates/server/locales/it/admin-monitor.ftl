# Pagine di monitoraggio: Home, Azioni sui dispositivi, Idoneità alla reimpostazione, Log di controllo.

home-title = Home
home-devices = Dispositivi
home-pending = Azioni in sospeso
home-failed = Azioni non riuscite
home-not-ready = Dispositivi non reimpostabili ora
home-by-platform = Dispositivi per piattaforma
home-actions-chart = Azioni al giorno, ultimi 30 giorni
home-actions-chart-summary = { $count } azioni negli ultimi 30 giorni, di cui { $failed } non riuscite
home-day-summary = { $succeeded } completate, { $failed } non riuscite, { $other } in sospeso o altro
home-succeeded = Completate
home-failed-short = Non riuscite
home-other = In sospeso o altro
home-chart-as-table = Mostra i numeri in una tabella
home-day = Giorno (UTC)
home-readiness-link = Vedi tutti i dispositivi non reimpostabili (conta anche nessun check-in da { $days } giorni)

monitor-title = Azioni sui dispositivi
monitor-intro = Tutte le azioni remote della tua organizzazione: prima quelle non riuscite, poi le più recenti.
monitor-device-search = Cerca dispositivi per nome, modello o numero di serie
monitor-state-any = Qualsiasi stato
monitor-state-failed = Non riuscita
monitor-state-pending = In sospeso
monitor-state-succeeded = Completata
monitor-state-expired = Scaduta
monitor-state-cancelled = Annullata
monitor-kind-any = Qualsiasi azione
monitor-filter = Applica
monitor-count = Visualizzate { $first }–{ $last } di { $total } azioni
monitor-col-device = Dispositivo
monitor-col-requester = Richiesta da
monitor-col-finished = Terminata
monitor-none = Nessuna azione corrisponde ai filtri.
monitor-requester-device = Il dispositivo
monitor-requester-system = Sistema ({ $component })

readiness-title = Idoneità alla reimpostazione
readiness-intro = Dispositivi il cui passcode non potrebbe essere reimpostato se il proprietario restasse bloccato fuori adesso, il motivo e come risolvere.
readiness-group = Gruppo di dispositivi
readiness-group-all = Tutti i dispositivi
readiness-stale-days = Nessun check-in da (giorni)
readiness-download-csv = Scarica CSV
readiness-devices = Dispositivi gestiti
readiness-not-ready = Non reimpostabili ora
readiness-col-reason = Motivo
readiness-col-fix = Soluzione
readiness-all-ready = Il passcode di ogni dispositivo potrebbe essere reimpostato adesso.
readiness-by-reason = Dispositivi non reimpostabili, per motivo
readiness-devices-count = { $count ->
    [one] { $count } dispositivo
   *[other] { $count } dispositivi
}
readiness-stale = Il dispositivo non esegue il check-in da { $days } giorni o più, quindi non riceverebbe la reimpostazione.
readiness-stale-fix = Chiedi al proprietario di accendere il dispositivo e connetterlo a Internet, oppure sincronizzalo; rimuovilo se non esiste più.

audit-title = Log di controllo
audit-intro = Tutto ciò che è successo nella tua organizzazione, dal più recente. Ogni visualizzazione di un passcode viene registrata.
audit-actor = Autore
audit-device = Dispositivo
audit-device-placeholder = ID dispositivo
audit-kind = Evento
audit-any = Qualsiasi
audit-from = Dal (UTC)
audit-to = Al (UTC)
audit-export-csv = Esporta CSV
audit-export-jsonl = Esporta JSON Lines
audit-col-at = Ora
audit-passcode-revealed = Passcode visualizzato
audit-only-this-device = solo questo dispositivo
audit-none = Nessun evento corrisponde ai filtri.
audit-newest = Più recenti
audit-older = Meno recenti
