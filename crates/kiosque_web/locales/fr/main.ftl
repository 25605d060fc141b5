# Kiosque — catalogue français du site lecteur.
# Les apostrophes typographiques (') sont voulues ; les élisions suivent les nombres.

skip-to-content = Aller au contenu principal
nav-label = Rubriques
nav-home = Accueil
breadcrumb-label = Fil d'Ariane
footer-about = { $site } est propulsé par Kiosque, plateforme libre de publication pour les rédactions.
footer-publisher = Éditeur : { $publisher }

# Bandeau sur les articles anciens. $years : années entières ; $words : le nombre en toutes lettres jusqu'à dix.
age-banner = { $years ->
    [1] Cet article date de plus d'un an.
   *[other] Cet article date de plus de { $words } ans.
}

byline-by = Article rédigé par
byline-with = avec
list-and = et
published-label = Publié le
updated-label = Mis à jour le
reading-time = Temps de lecture : { $minutes } min
lead-image-credit = Crédit photo
tags-heading = Mots-clés
comments-heading = Commentaires
comments-login = Connectez-vous à votre compte { $site } pour participer à la conversation.
comments-closed = Les commentaires sont fermés pour cet article.

home-title = { $site } : l'actualité en continu
home-heading = À la une
home-latest = Les dernières actualités
section-heading = { $section } : toute l'actualité
section-subsections = Sous-rubriques
section-empty = Aucun article publié dans cette rubrique pour le moment.
listing-more = Articles précédents
tag-heading = Mot-clé : { $tag }
tag-title = { $tag } : les articles
author-heading = { $name }
author-articles = Ses articles
desk-articles = Articles de la rédaction

accounts-title = Comptes lecteurs
accounts-heading = Les comptes lecteurs arrivent bientôt
accounts-text = La création de compte et la connexion des lecteurs ne sont pas encore ouvertes sur { $site }. Vous pourrez bientôt vous connecter pour commenter les articles.
accounts-back = Retour à l'accueil

error-not-found-title = Page introuvable
error-not-found-text = La page que vous cherchez n'existe pas ou a changé d'adresse.
error-gone-title = Article retiré
error-gone-text = Cet article a été retiré par la rédaction et n'est plus disponible.
error-internal-title = Erreur du serveur
error-internal-text = Une erreur est survenue de notre côté. Réessayez dans quelques instants.
error-bad-request-title = Requête invalide
error-bad-request-text = Cette adresse n'est pas valide.
error-home-link = Revenir à la page d'accueil
error-forbidden-title = Accès refusé
error-forbidden-text = Vous n'avez pas le droit de faire cela, ou le formulaire a expiré. Rechargez la page et réessayez.
correction-heading = Correction
correction-label = Correction du { $date } :

## Back office

admin-title-suffix = Rédaction
admin-nav-dashboard = Tableau de bord
admin-nav-articles = Articles
admin-nav-new = Nouvel article
admin-nav-users = Utilisateurs
admin-nav-audit = Journal
admin-nav-account = Mon compte
admin-logout = Se déconnecter
admin-view-site = Voir le site
admin-login-title = Connexion à la rédaction
admin-login-email = Adresse e-mail
admin-login-password = Mot de passe
admin-login-submit = Se connecter
admin-login-failed = Adresse e-mail ou mot de passe incorrect.
admin-login-throttled = Trop de tentatives de connexion. Réessayez dans { $minutes } minutes.
admin-setup-title = Créer le premier compte administrateur
admin-setup-intro = Ce lien à usage unique expire dans une heure. Le compte créé administrera { $site }.
admin-setup-submit = Créer le compte
admin-name = Nom
admin-password-again = Confirmer le mot de passe
admin-role = Rôle
admin-role-admin = Administrateur
admin-role-editor = Éditeur
admin-role-journalist = Journaliste
admin-error-password-short = Le mot de passe doit compter au moins 10 caractères.
admin-error-password-mismatch = Les deux mots de passe ne sont pas identiques.
admin-error-current-password = Le mot de passe actuel est incorrect.
admin-error-name = Indiquez un nom.
admin-error-email = Indiquez une adresse e-mail valide.
admin-error-email-taken = Cette adresse e-mail est déjà utilisée.
admin-error-role = Choisissez un rôle.
admin-error-headline = Le titre est obligatoire.
admin-error-headline-slug = Le titre doit contenir au moins une lettre ou un chiffre.
admin-error-section = Choisissez une rubrique.
admin-error-contributor = Auteur inconnu : « { $name } ».
admin-error-alt = Décrivez l'image (texte alternatif).
admin-error-correction-note = Une correction doit être accompagnée d'une note publique.
admin-error-schedule = Indiquez une date et une heure de publication dans le futur.
admin-error-not-an-image = Ce fichier n'est pas une image JPEG, PNG, WebP ou GIF lisible.
admin-error-image-too-large = Cette image est trop grande : 12 000 pixels de côté et 40 mégapixels au plus.
admin-error-body-size = Le texte est limité à { $name } ko.
admin-error-media-unknown = Aucune image de la photothèque ne porte ce numéro.
admin-error-missing = Élément introuvable : { $name }.
admin-error-invalid = Enregistrement impossible : { $name }
admin-error-storage = Enregistrement impossible pour le moment : le serveur ne peut plus rien écrire (disque plein ou en lecture seule). Votre texte est conservé ci-dessous ; réessayez dans quelques minutes.
admin-form-errors = Le formulaire contient des erreurs ; rien de ce que vous avez saisi n'est perdu.
admin-saved = Enregistré.
admin-status-draft = Brouillon
admin-status-scheduled = Programmé
admin-status-published = Publié
admin-status-unpublished = Dépublié
admin-awaiting-review = En attente de relecture
admin-dashboard-mine = Mes brouillons
admin-dashboard-review = Brouillons à relire
admin-dashboard-scheduled = Programmés
admin-dashboard-published = Publiés récemment
admin-dashboard-jobs = Tâches en échec
admin-dashboard-none = Rien pour le moment.
admin-col-headline = Titre
admin-col-status = État
admin-col-section = Rubrique
admin-col-author = Créé par
admin-col-modified = Modifié le
admin-col-published = Publication
admin-filter-all = Tous
admin-filter-text = Rechercher dans les titres
admin-filter-mine = Mes articles
admin-filter-review = À relire
admin-filter-submit = Filtrer
admin-more = Suivants
admin-field-headline = Titre
admin-field-kicker = Surtitre
admin-field-standfirst = Chapô
admin-field-body = Texte (Markdown)
admin-field-section = Rubrique
admin-field-tags = Mots-clés (séparés par des virgules)
admin-field-contributors = Auteurs, dans l'ordre de la signature (séparés par des virgules)
admin-field-agencies = Agences (séparées par des virgules, ex. AFP, Reuters)
admin-field-language = Langue de l'article
admin-field-comments = Commentaires ouverts
admin-field-seo-title = Titre pour les moteurs de recherche
admin-field-seo-description = Description pour les moteurs de recherche
admin-field-lead = Photo principale
admin-field-lead-file = Téléverser une image (JPEG, PNG, WebP ou GIF)
admin-field-lead-id = Ou numéro d'une image de la médiathèque
admin-field-lead-alt = Texte alternatif
admin-field-lead-caption = Légende
admin-field-lead-credit = Crédit
admin-field-edit-kind = Nature de la modification
admin-edit-minor = Correction mineure (pas de date publique)
admin-edit-update = Mise à jour (affiche « Mis à jour le »)
admin-edit-correction = Correction (avec note publique)
admin-field-correction-note = Note de correction publique
admin-field-schedule = Date de publication (heure de { $zone })
admin-words = { $count } mots · { $minutes } min de lecture
admin-preview-live = Aperçu du texte
admin-action-save = Enregistrer
admin-action-submit = Soumettre à la relecture
admin-action-publish = Publier
admin-action-schedule = Programmer
admin-action-unpublish = Dépublier
admin-open-preview = Aperçu de la page
admin-open-public = Voir en ligne
admin-open-history = Historique
admin-autosave-idle = Enregistrement automatique toutes les 30 secondes.
admin-conflict-title = Conflit de modification
admin-conflict-intro = Quelqu'un a enregistré cet article pendant que vous le modifiiez. Rien n'a été écrasé : comparez les deux versions, reprenez ce qui doit l'être, puis enregistrez votre version.
admin-conflict-theirs = Version enregistrée par { $name } le { $date }
admin-conflict-mine = Votre version (non enregistrée)
admin-conflict-keep-mine = Enregistrer ma version à la place
admin-history-title = Historique : { $headline }
admin-history-compare = Comparer
admin-history-restore = Restaurer cette version
admin-history-from = De la version
admin-history-to = à la version
admin-revision-create = Création
admin-revision-draft = Brouillon
admin-revision-autosave = Enregistrement automatique
admin-revision-minor = Correction mineure
admin-revision-update = Mise à jour
admin-revision-correction = Correction
admin-revision-restore = Restauration
admin-account-password = Changer de mot de passe
admin-account-current = Mot de passe actuel
admin-account-new = Nouveau mot de passe
admin-account-done = Mot de passe changé. Vos autres sessions ont été fermées.
admin-account-tokens = Jetons d'API personnels
admin-account-token-name = Nom du jeton
admin-account-token-create = Créer un jeton
admin-account-token-shown-once = Copiez ce jeton maintenant : il ne sera plus jamais affiché.
admin-account-token-revoke = Révoquer
admin-account-token-revoked = Révoqué
admin-account-token-last-used = Dernière utilisation
admin-users-create = Créer un compte
admin-users-deactivate = Désactiver
admin-users-activate = Réactiver
admin-users-inactive = Désactivé
admin-audit-when = Date
admin-audit-who = Qui
admin-audit-action = Action
admin-audit-target = Objet
admin-tool-bold = Gras
admin-tool-bold-short = G
admin-tool-italic = Italique
admin-tool-heading = Intertitre
admin-tool-quote = Citation
admin-tool-list = Liste
admin-tool-link = Lien
admin-presence-others = Également ouvert par :
admin-presence-take-over = Prendre la main
admin-presence-taken = Quelqu'un a pris la main sur cet article : vos enregistrements seront refusés s'il enregistre avant vous ; rien ne sera écrasé.
admin-nav-taxonomy = Rubriques et auteurs
admin-taxonomy-sections = Rubriques
admin-taxonomy-sections-help = Changer l'identifiant d'une rubrique change son adresse ; l'ancienne adresse redirige vers la nouvelle.
admin-taxonomy-slug = Identifiant d'URL
admin-taxonomy-position = Ordre
admin-taxonomy-description = Description
admin-taxonomy-new-section = Nouvelle rubrique
admin-taxonomy-parent = Dans la rubrique
admin-taxonomy-create = Créer
admin-taxonomy-tags = Mots-clés
admin-taxonomy-merge-into = Fusionner dans
admin-taxonomy-contributors = Auteurs et rédactions
admin-taxonomy-new-contributor = Nouvel auteur
admin-taxonomy-person = Journaliste
admin-taxonomy-desk = Rédaction
admin-error-slug = L'identifiant d'URL ne peut contenir que des minuscules, des chiffres et des tirets.
admin-error-slug-taken = Cet identifiant d'URL est déjà utilisé.
admin-nav-media = Médiathèque
admin-media-upload = Ajouter à la médiathèque
admin-media-number = Image n° { $id }
admin-media-original = Voir l’original
admin-media-copyright = Droits (copyright)
admin-media-focal = Point d’intérêt (les recadrages le gardent dans le cadre ; cliquez sur l’image pour le placer)
admin-media-focal-x = Horizontal (%)
admin-media-focal-y = Vertical (%)
admin-nav-settings = Réglages
admin-settings-name = Nom du site
admin-settings-publisher = Éditeur (affiché sous les signatures)
admin-settings-base-url = Adresse publique du site
admin-settings-locale = Langue de l'interface
admin-settings-timezone = Fuseau horaire (IANA, ex. Europe/Paris)
admin-settings-age-days = Bandeau « Cet article date de plus de… » après (jours)
admin-error-base-url = L'adresse publique doit commencer par http:// ou https://.
admin-error-locale = Choisissez le français ou l'anglais.
admin-error-timezone = Fuseau horaire inconnu.
admin-error-days = Indiquez un nombre de jours.
admin-nav-wire = Dépêches
admin-wire-agency = Agence
admin-wire-language = Langue
admin-wire-urgent-only = Urgences seulement
admin-wire-live = La liste se met à jour toute seule.
admin-wire-received = Reçue
admin-wire-urgency = Urgence
admin-wire-version = Version
admin-wire-killed = Annulée par l’agence
admin-wire-held = Sous embargo ou retenue
admin-wire-has-article = Article créé
admin-wire-open-article = Ouvrir l’article tiré de cette dépêche
admin-wire-newer = l’agence a envoyé la version { $version } ; l’article a été fait à partir de la version { $from }. Les différences sont ci-dessous ; l’article n’est pas modifié.
admin-wire-create-article = Créer un article à partir de cette dépêche
admin-wire-status = Statut
admin-wire-created = Créée le
admin-wire-usage = Conditions d’utilisation
admin-wire-remote = Image distante (non téléchargée)
admin-wire-versions = Versions reçues
admin-editor-wire-newer = Une version plus récente de la dépêche d’origine est arrivée (version { $version }).
admin-editor-wire-compare = Voir les différences
admin-wire-subjects = Sujets
admin-error-wire-embargo = La dépêche d’origine est sous embargo jusqu’au { $name } : programmez la publication à cette heure ou plus tard.
admin-error-wire-withheld = La dépêche d’origine est retenue ou annulée par l’agence : l’article ne peut pas être publié.
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
archive-month = Archives : { $month } { $year }
archive-day = Archives du { $day } { $month } { $year }
related-heading = À lire aussi

search-title = Recherche
search-title-query = « { $query } » : recherche
search-label = Rechercher sur le site
search-placeholder = Rechercher…
search-submit = Rechercher
search-filters = Affiner
search-section = Rubrique
search-section-all = Toutes les rubriques
search-from = Du
search-to = Au
search-prompt = Tapez un ou plusieurs mots ; des guillemets cherchent une expression exacte.
search-none = Aucun article ne correspond à « { $query } ». Vérifiez l'orthographe ou essayez des mots plus généraux.
search-count = { $count ->
    [one] Un article correspond à « { $query } ».
   *[other] { $count } articles correspondent à « { $query } ».
}
search-bad-date = Une date n'a pas été comprise (format attendu : AAAA-MM-JJ) ; elle a été ignorée.
search-pages = Pages de résultats
search-previous = Page précédente
search-next = Page suivante

admin-nav-fronts = Unes
admin-fronts-home = Page d'accueil
admin-fronts-help = Chaque une commence par les articles choisis ici, dans cet ordre ; les plus récents suivent.
admin-fronts-front = Une
admin-fronts-slots = Articles épinglés
admin-fronts-updated = Modifiée
admin-fronts-edit = Une : { $front }
admin-fronts-editor-help = Le premier article est l'ouverture. Un article reste épinglé jusqu'à l'heure indiquée (vide : jusqu'à nouvel ordre). Seuls les articles publiés apparaissent sur le site.
admin-fronts-article = Article
admin-fronts-until = Épinglé jusqu'au
admin-fronts-lead = Ouverture
admin-fronts-not-public = pas en ligne
admin-fronts-error-article = Emplacement { $slot } : cet article n'existe pas.
admin-fronts-error-until = Emplacement { $slot } : la date de fin n'est pas comprise.
admin-fronts-error-duplicate = Un même article ne peut occuper deux emplacements.
admin-fronts-conflict = Quelqu'un a modifié cette une pendant que vous la prépariez : rien n'a été écrasé. Voici la version enregistrée ; vos choix sont conservés ci-dessous, enregistrez à nouveau pour les appliquer.
admin-fronts-current = Version enregistrée :

share-heading = Partager
share-email = Par e-mail
share-copy = Copier le lien :

translations-label = Aussi en :

admin-field-translation-of = Traduction de l'article n°
admin-field-translation-of-help = Le numéro de l'article original : les versions se citent entre elles (hreflang) et se proposent aux lecteurs.
admin-error-translation = Le numéro de l'article original doit être un nombre.

admin-taxonomy-photo = Portrait (n° de média)
admin-error-photo = Le portrait doit être le numéro d'une image de la médiathèque.

admin-error-translation-unknown = Aucun article ne porte ce numéro.

## Comptes lecteurs
error-too-many-title = Trop de demandes
error-unavailable-title = Enregistrement impossible pour le moment
error-unavailable-text = Le site ne peut rien enregistrer pour l’instant (espace disque plein ou fichiers en lecture seule). Rien n’a été modifié ; réessayez dans quelques minutes.
error-too-many-text = Vous avez fait trop de demandes en peu de temps. Patientez un instant, puis réessayez.
account-title = Mon compte
account-login-title = Se connecter
account-signup-title = Créer un compte
account-sent-title = Vérifiez votre boîte de réception
account-magic-title = Connexion par lien
account-forgot-title = Mot de passe oublié
account-reset-title = Nouveau mot de passe
account-verify-title = Confirmation de l'adresse
account-deleted-title = Compte supprimé
account-deleted-text = Votre compte a été supprimé et toutes vos sessions sont fermées.
account-email = Adresse e-mail
account-password = Mot de passe
account-new-password = Nouveau mot de passe
account-current-password = Mot de passe actuel
account-display-name = Nom affiché sous vos commentaires
account-password-help = Au moins { $min } caractères. Les mots de passe trop courants sont refusés.
account-login-submit = Se connecter
account-forgot-link = Mot de passe oublié ?
account-magic-heading = Sans mot de passe
account-magic-submit = Recevoir un lien de connexion
account-magic-confirm = Me connecter
account-verify-confirm = Confirmer mon adresse
account-email-confirm = Confirmer ma nouvelle adresse
account-no-account = Pas encore de compte ?
account-signup-link = Créer un compte
account-have-account = Déjà un compte ?
account-login-link = Se connecter
account-signup-submit = Créer mon compte
account-sent-text = Si un compte peut l'utiliser, un message vient d'être envoyé à { $email }. Suivez le lien qu'il contient pour continuer.
account-forgot-text = Indiquez l'adresse de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.
account-forgot-submit = Envoyer le lien
account-reset-submit = Enregistrer le mot de passe
account-unverified = Votre adresse { $email } n'est pas encore confirmée : vous ne pouvez pas encore commenter.
account-resend = Renvoyer le lien de confirmation
account-profile = Profil
account-notify-replies = Me prévenir par e-mail quand on répond à mes commentaires
account-save = Enregistrer
account-change-email = Adresse e-mail
account-current-email = Adresse actuelle : { $email }
account-new-email = Nouvelle adresse
account-change-email-submit = Changer d'adresse
account-change-password = Mot de passe
account-change-password-submit = Changer de mot de passe
account-data = Mes données
account-download = Télécharger mes données (JSON)
account-logout = Se déconnecter
account-delete = Supprimer mon compte
account-delete-anonymise = Vos commentaires resteront publiés, signés « Compte supprimé ». Vos sessions seront fermées.
account-delete-remove = Vos commentaires seront retirés avec votre compte. Vos sessions seront fermées.
account-delete-submit = Supprimer définitivement mon compte
account-error-throttled = Trop de tentatives. Patientez quelques minutes, puis réessayez.
account-error-login = Adresse ou mot de passe incorrect.
account-error-email = Cette adresse e-mail n'est pas valide.
account-error-link = Ce lien n'est plus valable : il a déjà servi ou il a expiré. Demandez-en un nouveau.
account-error-name = Le nom affiché doit compter de 2 à 60 caractères.
account-error-password-short = Le mot de passe est trop court.
account-error-password-common = Ce mot de passe est trop courant : choisissez-en un autre.
account-error-current-password = Le mot de passe actuel est incorrect.
account-error-email-taken = Cette adresse est déjà utilisée par un autre compte.
account-ok-verified = Votre adresse est confirmée. Bienvenue !
account-ok-sent = Un nouveau lien de confirmation vous a été envoyé.
account-ok-password = Votre mot de passe est changé ; vos autres sessions sont fermées.
account-ok-profile = Profil enregistré.
account-ok-email = Votre nouvelle adresse est confirmée.
account-ok-email-sent = Un lien de confirmation a été envoyé à la nouvelle adresse.

## Courriels aux lecteurs
mail-verify-subject = Confirmez votre adresse sur { $site }
mail-verify-text = Bonjour { $name },

    Pour confirmer votre adresse et commencer à commenter sur { $site }, ouvrez ce lien (valable 48 heures) :
    { $link }

    Si vous n'avez pas créé de compte, ignorez ce message.
mail-exists-subject = Votre compte sur { $site }
mail-exists-text = Bonjour,

    Quelqu'un a voulu créer un compte sur { $site } avec cette adresse, qui en a déjà un. Si c'était vous et que vous avez oublié votre mot de passe :
    { $link }

    Sinon, ignorez ce message.
mail-magic-subject = Votre lien de connexion à { $site }
mail-magic-text = Bonjour { $name },

    Pour vous connecter à { $site }, ouvrez ce lien (valable 15 minutes, une seule fois) :
    { $link }

    Si vous n'avez rien demandé, ignorez ce message.
mail-reset-subject = Nouveau mot de passe sur { $site }
mail-reset-text = Bonjour { $name },

    Pour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure, une seule fois) :
    { $link }

    Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste le même.
mail-change-email-subject = Confirmez votre nouvelle adresse sur { $site }
mail-change-email-text = Bonjour { $name },

    Pour utiliser cette adresse avec votre compte { $site }, ouvrez ce lien (valable 48 heures) :
    { $link }
mail-reply-subject = { $author } vous a répondu sur { $site }
mail-reply-text = Bonjour { $name },

    { $author } a répondu à votre commentaire :
    { $link }

    Vous pouvez arrêter ces messages depuis votre compte.
mail-rejected-subject = Votre commentaire sur { $site } n'a pas été publié
mail-rejected-text = Bonjour { $name },

    Votre commentaire n'a pas été publié. Motif : { $reason }

    Votre texte :
    { $comment }

    La discussion : { $link }
mail-warned-subject = Un avertissement de la modération de { $site }
mail-warned-text = Bonjour { $name },

    La modération de { $site } vous adresse un avertissement : { $reason }
mail-suspended-subject = Vos commentaires sur { $site } sont suspendus
mail-suspended-text = Bonjour { $name },

    Vous ne pouvez plus commenter pour un temps. Motif : { $reason }
mail-banned-subject = Vous ne pouvez plus commenter sur { $site }
mail-banned-text = Bonjour { $name },

    Votre compte ne peut plus publier de commentaires. Motif : { $reason }

## Commentaires
comments-count = Commentaires ({ $count })
comments-open-link = Lire les commentaires et participer à la conversation
comments-page-title = Commentaires : { $headline }
comments-login-link = Se connecter
comments-signup-link = Créer un compte
comments-account-link = Mon compte
comments-as = Votre commentaire, publié sous le nom { $name }
comments-logged-in-as = Connecté en tant que { $name }
comments-help = Texte seul, 2 000 caractères au plus. Les liens sont rendus cliquables.
comments-submit = Publier
comments-kept = Votre texte, à copier si vous voulez le garder
comments-save = Enregistrer
comments-featured = Sélection de la rédaction
comments-edited = (modifié)
comments-pending = En attente de modération
comments-in-reply-to = en réponse à { $name }
comments-like = J'aime
comments-unlike = Je n'aime plus
comments-likes = { $count } j'aime
comments-reply = Répondre
comments-reply-to = Votre réponse à { $name }
comments-edit = Modifier
comments-edit-label = Votre commentaire
comments-delete = Supprimer
comments-report = Signaler
comments-report-reason = Motif du signalement
comments-report-submit = Signaler ce commentaire
comments-report-spam = Publicité ou spam
comments-report-abuse = Insulte ou harcèlement
comments-report-hate = Propos haineux
comments-report-off-topic = Hors sujet
comments-report-other = Autre
comments-more-replies = Voir { $count } autres réponses
comments-sort = Trier :
comments-sort-newest = les plus récents
comments-sort-oldest = les plus anciens
comments-sort-liked = les plus aimés
comments-load-more = Plus de commentaires
comments-deleted-account = Compte supprimé
comments-closed-editor = La rédaction a fermé les commentaires de cet article. La discussion reste lisible.
comments-closed-expired = Les commentaires de cet article sont fermés depuis qu'il a été publié il y a plus longtemps que le site ne le permet. La discussion reste lisible.
comments-barred-banned = Votre compte ne peut plus publier de commentaires.
comments-barred-suspended = Vos commentaires sont suspendus jusqu'au { $until }.
comments-error-closed = Les commentaires sont fermés pour cet article.
comments-error-suspended = Vos commentaires sont suspendus pour le moment.
comments-error-unverified = Confirmez votre adresse e-mail pour commenter.
comments-error-throttled = Vous publiez trop vite. Patientez un instant, votre texte est conservé.
comments-error-empty = Votre commentaire est vide.
comments-error-long = Votre commentaire dépasse 2 000 caractères.
comments-error-storage = Votre commentaire n’a pas pu être enregistré : le site ne peut rien enregistrer pour le moment. Votre texte est conservé ci-dessous ; réessayez dans quelques minutes.
comments-error-repeated = Vous avez déjà publié ce commentaire.
comments-error-banned-word = Votre commentaire contient un mot que ce site n'accepte pas.
comments-error-edit-late = Un commentaire ne peut plus être modifié cinq minutes après sa publication.
comments-notice-pending = Merci ! Votre commentaire sera publié après relecture par la modération.
comments-notice-deleted = Votre commentaire a été supprimé.
comments-notice-reported = Merci, la modération va examiner ce commentaire.

## Modération
admin-nav-moderation = Modération
admin-role-moderator = Modérateur
admin-moderation-title = Modération des commentaires
admin-moderation-queues = Files de modération
admin-moderation-queue-pending = En attente
admin-moderation-queue-reported = Signalés
admin-moderation-queue-recent = Récents
admin-moderation-readers = Lecteurs
admin-moderation-log = Journal
admin-moderation-rules = Règles
admin-moderation-done = { $count } commentaire(s) traité(s).
admin-moderation-keys = Raccourcis : j / k pour passer d'un commentaire à l'autre, x pour le cocher, a pour approuver, r pour rejeter, f pour mettre en avant.
admin-moderation-reason = Motif
admin-moderation-approve-selected = Approuver la sélection
admin-moderation-reject-selected = Rejeter la sélection
admin-moderation-feature-selected = Mettre en avant la sélection
admin-moderation-select = Choisir le commentaire
admin-moderation-why = Retenu :
admin-moderation-reports = Signalements :
admin-moderation-approve = Approuver
admin-moderation-reject = Rejeter
admin-moderation-feature = Mettre en avant
admin-moderation-unfeature = Retirer de la sélection
admin-moderation-empty = Rien à modérer ici.
admin-moderation-default-reason = Ce commentaire ne respecte pas la charte de la discussion.
admin-moderation-find = Nom ou adresse
admin-moderation-state = État
admin-moderation-since = Inscrit le
admin-moderation-staff = Rédaction
admin-moderation-banned = Banni
admin-moderation-suspended-until = Suspendu jusqu'au { $until }
admin-moderation-premoderated = Toujours pré-modéré
admin-moderation-unverified = Adresse non confirmée
admin-moderation-active = Actif
admin-moderation-warnings = Avertissements
admin-moderation-days = Durée de la suspension (jours)
admin-moderation-warn = Avertir
admin-moderation-suspend = Suspendre
admin-moderation-ban = Bannir
admin-moderation-premoderate = Toujours pré-modérer
admin-moderation-postmoderate = Ne plus pré-modérer
admin-moderation-reinstate = Lever la sanction
admin-moderation-their-comments = Ses commentaires
admin-moderation-action-approve = Approbation
admin-moderation-action-reject = Rejet
admin-moderation-action-feature = Mise en avant
admin-moderation-action-unfeature = Retrait de la sélection
admin-moderation-action-warn = Avertissement
admin-moderation-action-suspend = Suspension
admin-moderation-action-ban = Bannissement
admin-moderation-action-premoderate = Pré-modération
admin-moderation-action-postmoderate = Fin de pré-modération
admin-moderation-action-reinstate = Levée de sanction
admin-moderation-error-reason = Indiquez un motif : il est envoyé au lecteur et consigné au journal.
admin-moderation-error-days = La durée doit être un nombre de jours entre 1 et 365.
admin-moderation-error-close = Le délai de fermeture doit être un nombre de jours (0 : jamais).
admin-moderation-error-first = Le nombre de premiers commentaires pré-modérés doit être un entier.
admin-moderation-error-ids = « { $value } » n'est pas un numéro.
admin-comment-status-pending = en attente
admin-comment-status-approved = publié
admin-comment-status-rejected = rejeté
admin-comment-status-deleted = supprimé
admin-rules-close = Fermer les commentaires après (jours, 0 ou vide : jamais)
admin-rules-premoderate-all = Pré-modérer tous les commentaires du site
admin-rules-first = Pré-modérer les premiers commentaires de chaque lecteur (nombre)
admin-rules-links = Pré-modérer les commentaires contenant un lien
admin-rules-banned = Mots interdits (refusés), séparés par des virgules
admin-rules-suspect = Mots suspects (mis en attente), séparés par des virgules
admin-rules-sections = Rubriques pré-modérées (numéros)
admin-rules-articles = Articles pré-modérés (numéros)
admin-rules-deletion = À la suppression d'un compte
admin-rules-deletion-anonymise = garder ses commentaires, anonymisés
admin-rules-deletion-remove = retirer ses commentaires
admin-why-link = contient un lien
admin-why-new = nouveau commentateur
admin-why-site = pré-modération du site
admin-why-section = rubrique pré-modérée
admin-why-article = article pré-modéré
admin-why-reader = lecteur toujours pré-modéré
admin-why-suspect = mot suspect « { $word } »
header-account = Mon compte
admin-dashboard-pending-comments = { $count ->
    [0] Aucun commentaire en attente
    [one] Un commentaire en attente
    *[other] { $count } commentaires en attente
}
search-landmark-site = Rechercher sur le site
search-landmark-page = Recherche dans les articles
comments-page-heading = Commentaires : { $headline }
comments-page-back = Retour à l'article

## Static pages, redirects, import
footer-pages = Informations légales et pratiques
comments-charter = Lire la charte de modération
admin-nav-pages = Pages
admin-nav-redirects = Redirections
admin-nav-import = Importer
admin-yes = oui
admin-previous = Précédentes
admin-next = Suivantes
admin-pages-help = Les pages qui ne sont pas de l'actualité : mentions légales, politique de confidentialité, charte de modération, contact. Ni rubrique, ni signature, ni date, ni commentaires.
admin-pages-none = Aucune page pour l'instant.
admin-page-new = Nouvelle page
admin-page-title = Titre
admin-page-path = Adresse
admin-page-path-help = Lettres minuscules, chiffres et tirets, jusqu'à trois niveaux : « mentions-legales », « aide/contact ». La page est servie à /adresse/.
admin-page-description = Description (moteurs de recherche)
admin-page-body = Texte (Markdown)
admin-page-draft = Brouillon
admin-page-published = Publiée
admin-page-in-footer = Lien dans le pied de page
admin-page-delete = Supprimer la page
admin-page-revisions = Versions
admin-page-view = Voir la page
admin-page-conflict = Quelqu'un a enregistré cette page pendant que vous la modifiiez. Rien n'a été écrasé : votre texte est dans le formulaire, le sien ci-dessus. Enregistrez à nouveau pour garder le vôtre.
admin-page-conflict-title = La version enregistrée entre-temps
admin-page-theirs = Texte enregistré par l'autre personne
admin-error-page-title = Le titre est obligatoire (300 caractères au plus).
admin-error-page-path = Cette adresse n'est pas valable
admin-error-page-path-section = Cette adresse est celle d'une rubrique
admin-error-page-path-taken = Une autre page occupe déjà cette adresse
admin-error-page-description = La description est limitée à 300 caractères.
admin-redirects-help = Les anciennes adresses et où elles mènent : chemins exacts ou préfixes, redirection permanente (301), temporaire (302) ou « n'existe plus » (410). Les imports en créent une par ancienne adresse.
admin-redirects-search = Adresse contenant
admin-redirects-count = { $count ->
    [0] Aucune redirection
    [one] Une redirection
   *[other] { $count } redirections
}
admin-redirects-export = Exporter en CSV
admin-redirects-old = Ancienne adresse
admin-redirects-new = Nouvelle adresse
admin-redirects-status = Réponse
admin-redirects-origin = Origine
admin-redirects-delete = Supprimer
admin-redirects-none = Aucune redirection.
admin-redirects-add = Ajouter une redirection
admin-redirects-prefix = Toutes les adresses qui commencent ainsi
admin-redirects-301 = déplacée définitivement
admin-redirects-302 = déplacée temporairement
admin-redirects-410 = n'existe plus
admin-redirects-csv = Importer un fichier CSV
admin-redirects-csv-help = Une ligne par redirection : ancienne adresse, nouvelle adresse, réponse (301, 302 ou 410), et « prefix » pour un préfixe. Tout est enregistré, ou rien si une ligne est fausse.
admin-redirects-csv-file = Fichier CSV
admin-redirects-csv-import = Importer
admin-redirects-imported = { $count ->
    [one] Une redirection enregistrée.
   *[other] { $count } redirections enregistrées.
}
admin-error-redirect-path = L'ancienne adresse est un chemin qui commence par / (« /2019/05/ancien-titre/ », « /?p=12 »).
admin-error-redirect-root = Un préfixe / redirigerait tout le site.
admin-error-redirect-status = La réponse est 301, 302 ou 410.
admin-error-redirect-target = La nouvelle adresse est un chemin du site (/monde/) ou une adresse http(s).
admin-error-redirect-loop = Une adresse ne peut pas rediriger vers elle-même.
admin-error-redirect-csv-size = Le fichier CSV est trop gros.
admin-error-redirect-csv = Ligne incorrecte dans le fichier CSV.
admin-import-help = Reprenez les archives d'un site WordPress (Outils › Exporter) ou Ghost (Réglages › Labs › Exporter) : articles, pages, rubriques, auteurs, commentaires, et une redirection pour chaque ancienne adresse. Relancer un import ne change que ce qui a changé.
admin-import-system = Le fichier vient de
admin-import-dry-run = Essai à blanc : tout lire, ne rien écrire
admin-import-file = Fichier d'export ({ $mb } Mo au plus)
admin-import-media-help = Les images sont reprises depuis le dossier des médias de l'ancien site avec la commande « kiosque import … --media-dir DOSSIER » ; depuis le navigateur, les articles sont importés sans leurs images.
admin-import-start = Lancer l'import
admin-import-recent = Imports récents
admin-import-running = Import en cours…
admin-import-progress = Avancement
admin-import-lines = { $count } éléments traités
admin-import-refused = Le fichier est refusé ; rien n'a été écrit.
admin-import-failures = Échecs
admin-import-report = Compte rendu, élément par élément
admin-import-error-system = Choisissez WordPress ou Ghost.
admin-import-error-file = Choisissez un fichier d'export.
admin-error-import-file = Le fichier ne peut pas être lu.

# Live coverage
live-badge = En direct
live-closed = Ce direct est terminé
live-summary-heading = Ce qu'il faut savoir
live-key-events = Les moments clés
live-key-event = Moment clé
live-pinned = À la une de ce direct
live-stream-heading = Le fil du direct
live-permalink = Lien vers cette entrée
live-older = Entrées précédentes
live-newer = Entrées plus récentes
live-latest = Revenir aux dernières entrées
live-feed = Suivre ce direct (RSS)
live-empty = Aucune entrée pour l'instant.
live-new-one = 1 nouvelle entrée
live-new-other = %n nouvelles entrées
live-error-empty = L'entrée est vide.
live-error-too-long = L'entrée est trop longue.
live-error-title = Le titre de l'entrée est trop long.

# Live desk
admin-field-kind = Type
admin-kind-standard = Article
admin-kind-live = Direct (fil d'entrées)
admin-live-desk = Direct
admin-live-desk-open = Ouvrir le direct
admin-live-open = En direct
admin-live-closed = Terminé
admin-live-close = Terminer le direct
admin-live-reopen = Rouvrir le direct
admin-live-closed-help = Ce direct est terminé : rouvrez-le pour publier de nouvelles entrées.
admin-live-closed-refused = Ce direct est terminé : l'entrée n'a pas été publiée.
admin-live-edit-article = Modifier l'article (résumé, titre, photo)
admin-live-field-title = Titre de l'entrée (facultatif)
admin-live-field-body = Entrée (Markdown)
admin-live-field-credit = Agence
admin-live-help = Ctrl+Entrée publie. Le fil se met à jour tout seul.
admin-live-post = Publier l'entrée
admin-live-save = Enregistrer
admin-live-stream = Le fil
admin-live-empty = Aucune entrée pour l'instant.
admin-live-key = Moment clé
admin-live-pinned = Épinglée
admin-live-mark-key = Marquer moment clé
admin-live-unmark-key = Retirer des moments clés
admin-live-pin = Épingler
admin-live-unpin = Désépingler
admin-live-edit = Modifier
admin-live-delete = Supprimer
admin-live-delete-confirm = Retirer cette entrée du direct ? Elle reste dans l'historique.
admin-live-permalink = Lien
admin-live-edit-entry = Modifier une entrée
admin-live-stale = Quelqu'un a modifié cette entrée entre-temps : rien n'a été enregistré.
admin-live-stale-current = L'entrée dit maintenant :
admin-live-action-create = publiée
admin-live-action-edit = modifiée
admin-live-action-delete = supprimée
admin-live-add = Ajouter au direct
admin-live-add-help = Le texte de la dépêche devient une entrée à relire, créditée à l'agence.

# Push alerts
alerts-title = Alertes
alerts-footer-link = Recevoir les alertes
alerts-intro = Recevez une notification quand l'actualité tombe, même quand le site est fermé.
alerts-topics = Thèmes
alerts-topic-breaking = Alertes info (dernière minute)
alerts-enable = Activer les alertes
alerts-disable = Désactiver les alertes
alerts-needs-script = Les alertes demandent un navigateur récent avec JavaScript.
alerts-unsupported = Ce navigateur ne permet pas les notifications.
alerts-on = Les alertes sont activées sur ce navigateur.
alerts-off-done = Les alertes sont désactivées.
alerts-denied = Les notifications sont bloquées pour ce site dans votre navigateur.
alerts-failed = L'activation a échoué ; réessayez plus tard.
alerts-privacy = Aucun compte n'est nécessaire et aucun service tiers n'est utilisé : le site envoie les alertes au service de notification de votre navigateur, chiffrées pour lui seul. Vous pouvez les désactiver ici à tout moment.
alerts-error-subscription = L'abonnement est refusé.
alerts-error-title = Le titre est vide ou dépasse 80 caractères.
alerts-error-body = Le texte est vide ou dépasse 160 caractères.
alerts-error-url = Le lien doit être une adresse de ce site.
alerts-error-topics = Choisissez au moins un thème.

# Alerts (back office)
admin-nav-alerts = Alertes
admin-alerts-title = Envoyer une alerte
admin-alerts-help = L'alerte part sur les navigateurs abonnés aux thèmes choisis. Relisez-la : une alerte envoyée ne se rattrape pas.
admin-alerts-field-title = Titre (80 caractères au plus)
admin-alerts-field-body = Texte (160 caractères au plus)
admin-alerts-field-url = Lien (une page du site)
admin-alerts-field-topics = Thèmes
admin-alerts-preview = Prévisualiser
admin-alerts-confirm-title = Vérifiez l'alerte avant l'envoi
admin-alerts-confirm-topics = Envoyée aux abonnés de :
admin-alerts-send = Confirmer l'envoi
admin-alerts-cancel = Annuler
admin-alerts-sent = Alerte n° { $id } en cours d'envoi.
admin-alerts-latest = Dernières alertes
admin-alerts-col-at = Envoyée le
admin-alerts-col-recipients = Destinataires
admin-alerts-col-sent = Reçues
admin-alerts-col-retried = Réessais
admin-alerts-col-dropped = Abonnements expirés
admin-alerts-col-failed = Échecs
admin-alerts-pending = { $count } en attente
admin-alerts-none = Aucune alerte envoyée.
admin-alerts-from-wire = Préparer une alerte

## Newsletters
newsletters-title = Newsletters
newsletters-intro = Recevez l'essentiel de l'actualité par e-mail. Une confirmation vous est envoyée : rien ne part sans elle.
newsletters-none = Aucune newsletter pour le moment.
newsletters-when = Chaque jour vers { $time }
newsletters-email = Votre adresse e-mail
newsletters-subscribe = S'inscrire
newsletters-privacy = Votre adresse ne sert qu'à cet envoi. Chaque e-mail contient un lien de désinscription en un clic.
newsletters-sent-title = Vérifiez votre boîte mail
newsletters-sent-text = Si cette adresse n'est pas déjà inscrite, un e-mail de confirmation vient d'y partir. Ouvrez-le et cliquez sur le bouton pour recevoir « { $name } ».
newsletters-confirm-title = Confirmer votre inscription
newsletters-confirm-text = Vous allez recevoir « { $name } » à l'adresse { $email }.
newsletters-confirm-button = Confirmer mon inscription
newsletters-confirmed-title = Inscription confirmée
newsletters-confirmed-text = Vous recevrez « { $name } ». Chaque envoi contient un lien pour vous désinscrire.
newsletters-invalid-title = Lien invalide
newsletters-invalid-text = Ce lien a expiré ou a déjà servi. Vous pouvez refaire une demande.
newsletters-unsubscribe-title = Se désinscrire
newsletters-unsubscribe-text = Vous ne recevrez plus « { $name } » à l'adresse { $email }.
newsletters-unsubscribe-button = Me désinscrire
newsletters-unsubscribed-title = Désinscription faite
newsletters-unsubscribed-text = Vous ne recevrez plus « { $name } ».
newsletters-back = Toutes les newsletters
newsletters-error-email = Cette adresse e-mail n'est pas valide.
newsletters-error-throttled = Trop de demandes : réessayez dans quelques minutes.
newsletters-block-title = La newsletter « { $name } »
newsletters-mail-read = Lire l'article
newsletters-mail-why = Vous recevez cet e-mail parce que vous êtes inscrit·e à « { $name } » de { $site }.
newsletters-mail-unsubscribe = Se désinscrire en un clic
newsletters-account-title = Mes newsletters
newsletters-account-on = Inscrit·e
newsletters-account-subscribe = M'inscrire
newsletters-account-unsubscribe = Me désinscrire
newsletter-error-name = Donnez un nom (120 caractères au plus).
newsletter-error-slug = L'adresse ne peut contenir que des minuscules, des chiffres et des tirets.
newsletter-error-description = La description est trop longue.
newsletter-error-sender = Le nom d'expéditeur est trop long.
newsletter-error-time = L'heure d'envoi s'écrit HH:MM.
newsletter-error-subject = Donnez un objet (200 caractères au plus).
newsletter-error-intro = L'introduction est trop longue.
newsletter-error-articles = Une édition contient au plus 30 articles existants, chacun une fois.
newsletter-error-email = Cette adresse e-mail n'est pas valide.
newsletter-error-at = L'heure d'envoi est passée.
newsletter-error-dsn = Ce n'est pas un avis de non-remise (RFC 3464).
webhook-error-url = L'adresse doit être une URL http ou https.
webhook-error-events = Choisissez au moins un événement.
webhook-error-private = Cette adresse mène à un réseau privé ou à cette machine.
admin-nav-newsletters = Newsletters
admin-nav-webhooks = Webhooks
admin-newsletters-title = Newsletters
admin-newsletters-help = Les lecteurs s'inscrivent sur /newsletters (double confirmation) ; chaque édition part une fois à chaque inscrit confirmé.
admin-newsletters-col-name = Nom
admin-newsletters-col-subscribers = Inscrits confirmés
admin-newsletters-col-time = Heure d'envoi
admin-newsletters-col-page = Page d'inscription
admin-newsletters-none = Aucune newsletter.
admin-newsletters-create = Créer une newsletter
admin-newsletters-field-name = Nom
admin-newsletters-field-slug = Adresse (faite depuis le nom si vide)
admin-newsletters-field-description = Description
admin-newsletters-field-sender = Nom de l'expéditeur
admin-newsletters-field-time = Heure d'envoi habituelle
admin-newsletters-subscribers = { $count } inscrits confirmés
newsletter-error-slug-taken = Une autre newsletter a déjà cette adresse.
admin-editions-title = Éditions
admin-editions-none = Aucune édition.
admin-editions-new = Nouvelle édition
admin-editions-col-subject = Objet
admin-editions-col-state = État
admin-editions-col-when = Envoi
admin-editions-col-recipients = Destinataires
admin-editions-col-sent = Envoyés
admin-editions-col-pending = En attente
admin-editions-col-failed = Échecs
admin-editions-col-suppressed = Adresses bloquées
admin-editions-col-unsubscribed = Désinscrits depuis
admin-editions-field-subject = Objet du message
admin-editions-field-intro = Introduction (Markdown)
admin-editions-field-articles = Articles (numéros, dans l'ordre)
admin-editions-articles-help = Le numéro d'un article est dans son adresse (…_123.html) et dans la liste des articles.
admin-editions-create = Créer l'édition
admin-editions-from-front = Remplir depuis la une
admin-editions-save = Enregistrer
admin-editions-saved = Édition enregistrée.
admin-editions-stale = Quelqu'un a modifié cette édition entre-temps : votre texte est ci-dessous, rechargez pour voir le sien.
admin-editions-already = Cette édition est déjà partie ou programmée : elle n'est jamais envoyée deux fois.
admin-editions-test = M'envoyer un test ({ $email })
admin-editions-test-sent = Test envoyé à votre adresse.
admin-editions-at = Programmer à (vide : maintenant)
admin-editions-send = Envoyer aux { $count } inscrits
admin-editions-confirm = Envoyer cette édition à { $count } inscrits ? Elle ne pourra plus être modifiée.
admin-editions-queued = Envoi programmé : le worker l'envoie.
admin-editions-preview = Aperçu
admin-editions-phone = Téléphone (390 px)
admin-editions-desktop = Ordinateur (720 px)
admin-editions-state-draft = brouillon
admin-editions-state-scheduled = programmée
admin-editions-state-sending = en cours d'envoi
admin-editions-state-sent = envoyée
admin-webhooks-title = Webhooks
admin-webhooks-help = Chaque événement est envoyé signé (Standard Webhooks), avec l'article en ninjs, et réessayé en cas d'échec.
admin-webhooks-secret = Secret de signature, affiché une seule fois : copiez-le maintenant.
admin-webhooks-col-url = Adresse
admin-webhooks-col-events = Événements
admin-webhooks-col-created = Créé le
admin-webhooks-none = Aucun webhook.
admin-webhooks-create = Ajouter un webhook
admin-webhooks-log = Livraisons
admin-webhooks-col-at = Date
admin-webhooks-col-event = Événement
admin-webhooks-col-state = État
admin-webhooks-col-status = Réponse
admin-webhooks-col-attempts = Tentatives
admin-webhooks-col-duration = Durée
admin-webhooks-replay = Rejouer
admin-webhooks-replayed = Livraison remise en file.
admin-webhooks-none-delivered = Aucune livraison.
admin-webhooks-delete = Supprimer ce webhook
account-ok-newsletters = Vos newsletters sont à jour. Une inscription avec une adresse non vérifiée attend la confirmation envoyée par e-mail.
newsletters-footer-link = Nos newsletters

## Embeds
embed-show = Afficher le contenu ({ $provider })
embed-notice = En affichant ce contenu, vous acceptez que { $provider } dépose des cookies et reçoive des données de navigation.
embed-remember = Toujours afficher les contenus { $provider }
embed-original = Voir sur { $provider }

## Galleries
gallery-label = Galerie : { $count } photos
gallery-role = galerie
gallery-previous = Photo précédente
gallery-next = Photo suivante

## Editor: embeds
admin-embeds = Contenus intégrés
admin-embeds-failed = Échec
admin-embeds-refresh = Interroger à nouveau les fournisseurs

## Players
player-download-video = Télécharger la vidéo
player-download-audio = Télécharger le son
player-captions = Sous-titres
