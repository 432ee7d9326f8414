# pinreset interfaccia di amministrazione — italiano (testi dell'interfaccia). Motivi e rimedi degli errori sono in errors.ftl.

## Cornice
app-admin-center = Interfaccia di amministrazione
skip-to-content = Vai al contenuto
header-tenant = Organizzazione
language = Lingua
language-apply = Applica
sign-out = Esci
nav-open = Menu
nav-label = Navigazione dell'interfaccia di amministrazione
nav-home = Home
nav-devices = Dispositivi
nav-device-actions = Azioni sui dispositivi
nav-profiles = Profili di configurazione
nav-users-groups = Utenti e gruppi
nav-tenant-admin = Amministrazione tenant
nav-readiness = Idoneità alla reimpostazione
nav-audit = Log di controllo
nav-settings = Impostazioni
nav-coming-soon = Prossimamente

## Accesso
sign-in-title = Accedi
sign-in-intro = Accedi con l'account aziendale per gestire i dispositivi dell'organizzazione.
sign-in-email = Indirizzo e-mail
sign-in-password = Password
sign-in-submit = Accedi
sign-in-wait-until = Puoi riprovare dopo le { $when }.
sign-in-or = oppure
sign-in-sso = Accedi con { $organisation }

## Dispositivi › Tutti i dispositivi
devices-all = Tutti i dispositivi
devices-search = Cerca
devices-search-placeholder = Cerca per nome, modello, numero di serie o IMEI
devices-platform = Piattaforma
devices-platform-any = Tutte le piattaforme
devices-ownership = Tipo di proprietà
devices-ownership-any = Qualsiasi tipo di proprietà
devices-owner-filter = Proprietario: { $owner }
devices-owner-filter-remove = Mostra i dispositivi di tutti i proprietari
devices-only-owner = Solo i dispositivi di questo proprietario
devices-sort = Ordina per
devices-sort-direction = Ordine
devices-sort-asc = Crescente
devices-sort-desc = Decrescente
devices-clear = Cancella filtri
devices-count = Visualizzati { $first }–{ $last } di { $total } dispositivi
devices-none = Nessun dispositivo corrisponde alla ricerca.
paging-label = Pagine
paging-previous = Precedente
paging-next = Successiva
col-name = Nome dispositivo
col-owner = Utente primario
col-platform = Piattaforma
col-os-version = Versione del sistema operativo
col-ownership = Tipo di proprietà
col-management = Stato di gestione
col-last-check-in = Ultimo check-in
col-pending = Azioni in sospeso
pending-badge = In sospeso
device-no-owner = Nessun utente primario
device-never = Mai
management-managed = Gestito
management-retired = Ritirato

## Panoramica del dispositivo
device-actions-label = Azioni sul dispositivo
device-sync = Sincronizza
device-why-link = Cosa fare
device-pending =
    { $count ->
        [one] 1 azione in sospeso
       *[other] { $count } azioni in sospeso
    }
device-properties = Proprietà
prop-name = Nome dispositivo
prop-owner = Utente primario
prop-platform = Piattaforma
prop-os-version = Versione del sistema operativo
prop-os-build = Build del sistema operativo
prop-model = Modello
prop-serial = Numero di serie
prop-imei = IMEI
prop-ownership = Tipo di proprietà
prop-management-mode = Modalità di gestione
prop-reset-token = Token di reimpostazione
reset-token-none = Nessuno
reset-token-inactive = Inattivo: l'utente deve confermare una volta il blocco schermo
reset-token-active = Attivo
prop-join-type = Tipo di aggiunta ad Azure AD
prop-management-state = Stato di gestione
prop-enrolled = Registrato il
prop-last-check-in = Ultimo check-in
device-result-title = Reimposta passcode
device-result-show = Mostra passcode
device-result-show-pin = Mostra PIN
device-result-expires = Disponibile fino al { $when }
device-result-removed = Il passcode è stato rimosso dal dispositivo. L'utente ne imposta uno nuovo dopo averlo sbloccato.
device-passcode-label = Passcode temporaneo
device-pin-label = PIN di blocco
device-passcode-hint = Comunicalo all'utente di persona o per telefono. Dopo lo sblocco gli verrà chiesto di cambiarlo.
device-copy = Copia
device-copied = Copiato
device-copy-failed = Seleziona il passcode e copialo
device-expires-in-days = Scade tra { $days ->
        [one] 1 giorno
       *[other] { $days } giorni
    }{ $hours ->
        [0] {""}
        [one] {" "}e 1 ora
       *[other] {" "}e { $hours } ore
    }
device-expires-in-hours = Scade tra { $hours ->
        [one] 1 ora
       *[other] { $hours } ore
    }
device-expires-in-minutes = Scade tra { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minuti
    }
device-expired = Scaduto
confirm-lock-message = Messaggio sulla schermata di blocco
confirm-optional = (facoltativo)
confirm-lock-message-placeholder = ad es. Questo dispositivo è bloccato. Chiama l'IT.
confirm-lock-phone = Numero di telefono sulla schermata di blocco
confirm-lock-message-hint = Il dispositivo li mostra entrambi sulla schermata di blocco finché non viene sbloccato.
device-history = Cronologia delle azioni
device-history-none = Nessuna azione richiesta per questo dispositivo.
device-detail = Il dispositivo ha segnalato: { $detail }
device-commands = Cronologia dei comandi
device-commands-none = Nessun comando ancora inviato a questo dispositivo.
col-action = Azione
col-state = Stato
col-requested = Richiesta
col-updated = Ultima modifica
col-outcome = Risultato
col-time = Ora
col-direction = Direzione
col-detail = Dettaglio
command-sent = Inviato
command-answered = Risposta del dispositivo
notice-queued = { $action } richiesta. Il dispositivo la eseguirà al prossimo check-in.
notice-synced = È stato chiesto al dispositivo di eseguire il check-in.

## Conferma
confirm-title = { $action }: { $device }
confirm-submit = { $action }
confirm-cancel = Annulla
confirm-new-name = Nuovo nome del dispositivo
confirm-reset-passcode-temporary = Il passcode attuale di { $device } viene sostituito da un passcode temporaneo. Quando il dispositivo risponde, puoi visualizzare il passcode temporaneo nella pagina del dispositivo per 7 giorni.
confirm-reset-passcode-clear = Il passcode di { $device } viene rimosso. Non viene impostato alcun passcode temporaneo: l'utente sblocca il dispositivo senza passcode e ne imposta uno nuovo.
confirm-remote-lock = { $device } viene bloccato subito. L'utente lo sblocca con il proprio passcode.
confirm-remote-lock-pin = { $device } viene bloccato con un PIN di 6 cifre generato da questo server. Puoi visualizzare il PIN nella pagina del dispositivo.
confirm-reset-device = { $device } viene cancellato e riportato alle impostazioni di fabbrica. Tutti i dati presenti vanno persi. L'operazione non può essere annullata.
confirm-remove = { $device } viene rimosso dalla gestione: app, dati e impostazioni aziendali vengono eliminati e il dispositivo smette di eseguire il check-in.
confirm-rename = { $device } viene rinominato con il nome indicato sotto.

## Problemi e catalogo degli errori
problem-title = Si è verificato un problema
problem-what-to-do = Cosa fare
problem-code = Codice di errore
problem-back = Torna a Tutti i dispositivi
errors-title = Catalogo degli errori
errors-intro = Tutti i rifiuti e gli errori segnalati da pinreset, con le azioni da intraprendere.

## Valori del motore
action-reset-passcode = Reimposta passcode
action-remote-lock = Blocco remoto
action-reset-device = Reimposta dispositivo
action-remove = Rimuovi
action-rename = Rinomina
state-requested = Richiesta
state-queued = In coda
state-delivered = Inviata al dispositivo
state-acknowledged = Confermata
state-succeeded = Completata
state-failed = Non riuscita
state-expired = Scaduta
state-cancelled = Annullata
result-temporary-passcode = Passcode temporaneo impostato
result-passcode-removed = Passcode rimosso
result-lock-pin = Bloccato con PIN
result-done = Fatto
platform-windows = Windows
platform-windows_mobile = Windows 10 Mobile
platform-windows_phone = Windows Phone 8.1
platform-ios = iOS
platform-ipados = iPadOS
platform-macos = macOS
platform-android = Android
ownership-corporate = Aziendale
ownership-personal = Personale
mode-mdm = MDM
mode-user_enrollment = Registrazione utente
mode-shared_ipad = iPad condiviso
mode-device_admin = Amministratore di dispositivo
mode-device_owner = Completamente gestito
mode-work_profile = Profilo di lavoro
join-azure_ad_joined = Aggiunto ad Azure AD
join-hybrid_azure_ad_joined = Aggiunto ad Azure AD ibrido
join-azure_ad_registered = Registrato in Azure AD
join-not_joined = Non aggiunto
role-tenant_admin = Amministratore tenant
role-help_desk = Operatore help desk
role-read_only = Sola lettura
role-end_user = Utente finale
