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
