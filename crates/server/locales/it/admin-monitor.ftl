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

## Audit event kinds (labels::audit_kind)
event-action_requested = Azione richiesta
event-action_refused = Azione rifiutata
event-action_transition = Stato dell'azione cambiato
event-passcode_read = Passcode visualizzato
event-passcode_read_refused = Visualizzazione del passcode rifiutata
event-passcode_purged = Passcode eliminato
event-consent_changed = Consenso alla reimpostazione del PIN modificato
event-settings_changed = Impostazioni modificate
event-enrollment_profile_issued = Profilo di registrazione emesso
event-push_sent = Notifica push inviata
event-push_failed = Notifica push non riuscita
event-device_deferred = Il dispositivo ha rimandato un comando
event-command_sent = Comando inviato al dispositivo
event-command_result = Il dispositivo ha risposto a un comando
event-profile_saved = Profilo di configurazione salvato
event-profile_assigned = Profilo di configurazione assegnato
event-token_created = Token API creato
event-sign_in = Accesso effettuato
event-reenrollment_requested = Nuova registrazione richiesta
event-reenrollment_approved = Nuova registrazione approvata
event-reenrollment_rejected = Nuova registrazione respinta
event-device_reenrolled = Dispositivo registrato di nuovo
event-sign_in_throttled = Accessi limitati
event-account_locked = Account bloccato
event-account_unlocked = Account sbloccato
event-user_created = Utente creato
event-user_changed = Utente modificato
event-user_deleted = Utente eliminato
event-device_owner_changed = Proprietario del dispositivo cambiato
event-group_created = Gruppo creato
event-group_changed = Appartenenza al gruppo modificata
event-token_revoked = Token API revocato
