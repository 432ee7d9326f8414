# Utenti e gruppi: utenti, ruoli, token API, gruppi di utenti e di dispositivi (italiano).

people-users = Utenti
people-groups = Gruppi

## Cosa può fare ogni ruolo (dalle regole del motore)
roles-title = Cosa può fare ogni ruolo
roles-actions = Azioni sui dispositivi: { $actions }
roles-no-actions = Nessuna azione sui dispositivi
roles-own-devices-only = Solo i propri dispositivi, nel portale self-service
roles-show-passcodes = Mostrare passcode temporanei e PIN di blocco
perm-read_tenant = Vedere l'organizzazione e le sue impostazioni
perm-manage_tenant = Modificare impostazioni, consenso alla reimpostazione del PIN, certificato push e Single Sign-On
perm-read_all_devices = Vedere tutti i dispositivi dell'organizzazione
perm-read_audit = Leggere il log di controllo
perm-read_profiles = Vedere i profili di configurazione
perm-manage_profiles = Creare, modificare e assegnare profili di configurazione
perm-issue_enrollment_profiles = Scaricare i profili di registrazione
perm-read_reenrollments = Vedere le richieste di nuova registrazione
perm-decide_reenrollments = Approvare o rifiutare nuove registrazioni
perm-read_users = Vedere utenti e gruppi
perm-manage_users = Gestire utenti, gruppi, ruoli e token API
perm-read_sign_in_lockouts = Vedere gli accessi bloccati
perm-unlock_accounts = Sbloccare gli account bloccati

## Utenti
users-new = Nuovo utente
users-search = Cerca
users-search-placeholder = Cerca per nome, nome di accesso o e-mail
users-role = Ruolo
users-role-any = Tutti i ruoli
users-count =
    { $total ->
        [one] 1 utente
       *[other] { $total } utenti
    }
users-none = Nessun utente corrisponde alla ricerca.
users-col-name = Nome visualizzato
users-col-login = Nome di accesso
users-col-email = Indirizzo e-mail
users-col-role = Ruolo
users-col-status = Stato
users-col-password = Password
users-enabled = Abilitato
users-disabled = Disabilitato
users-password-set = Impostata
users-password-none = Non impostata
users-initial-password = Password iniziale (facoltativa)
users-password-hint = Almeno { $min } caratteri.
users-initial-password-hint = Senza password, l'utente non può accedere con una password finché non ne imposti una.
users-password-never-shown = La password non viene più mostrata.
users-create = Crea utente
users-edit = Modifica utente
users-save = Salva
users-set-password = Imposta password
users-reset-password = Reimposta password
users-new-password = Nuova password
users-access = Accesso
users-enable = Abilita utente
users-disable = Disabilita utente
users-disable-hint = Un utente disabilitato non può accedere e i suoi token API smettono di funzionare.
users-delete = Elimina utente
users-delete-title = Eliminare { $user }?
users-delete-consequence = { $user } ({ $login }) viene eliminato insieme ai suoi token API e alle appartenenze ai gruppi. L'operazione non può essere annullata.
users-delete-reassign-hint = Scegli qui sotto chi prende in carico i dispositivi, poi elimina di nuovo.
users-reassign-to = Sposta i dispositivi a
users-reassign-none = Nessuno (rifiutato se possiede dispositivi)
users-reassign-hint = L'utente scelto diventa l'utente primario di tutti i dispositivi dell'utente eliminato.
users-notice-created = L'utente è stato creato.
users-notice-saved = Le modifiche sono state salvate.
users-notice-disabled = L'utente è stato disabilitato.
users-notice-enabled = L'utente è stato abilitato.
users-notice-password = La password è stata impostata.
users-notice-deleted = L'utente è stato eliminato.

## Token API
tokens-title = Token API
tokens-intro = I token permettono agli script di chiamare l'API REST come questo utente, con il suo ruolo.
tokens-col-name = Nome
tokens-col-created = Creato
tokens-revoke = Revoca
tokens-none = Questo utente non ha token API.
tokens-name-placeholder = Nome del nuovo token, ad es. script di backup
tokens-create = Crea token
tokens-created-title = Token API “{ $name }” creato
tokens-shown-once = Copia ora questo token. Non verrà più mostrato: il server ne conserva solo un hash.
tokens-value = Token
tokens-use-hint = Invialo nell'intestazione Authorization: Bearer seguito dal token.
tokens-done = Fine
tokens-notice-revoked = Il token è stato revocato. Non funziona più.

## Gruppi
groups-user-groups = Gruppi di utenti
groups-device-groups = Gruppi di dispositivi
groups-col-name = Nome del gruppo
groups-col-members = Membri
groups-none = Ancora nessun gruppo.
groups-new = Nuovo gruppo
groups-name-placeholder = Nome del nuovo gruppo
groups-kind = Tipo di gruppo
groups-kind-user = Gruppo di utenti
groups-kind-device = Gruppo di dispositivi
groups-create = Crea gruppo
groups-members = Membri ({ $count })
groups-remove = Rimuovi
groups-no-members = Questo gruppo non ha membri.
groups-add = Aggiungi membri
groups-find = Cerca
groups-find-users = Cerca utenti per nome, nome di accesso o e-mail
groups-find-devices = Cerca dispositivi per nome, modello o numero di serie
groups-add-member = Aggiungi
groups-no-candidates = Nessun risultato che non sia già membro.
groups-notice-added = Il membro è stato aggiunto.
groups-notice-removed = Il membro è stato rimosso.
users-delete-owns =
    { $count ->
        [one] È l'utente primario di 1 dispositivo.
       *[other] È l'utente primario di { $count } dispositivi.
    }
