# Kiosque — English catalogue of the reader site.

skip-to-content = Skip to main content
nav-label = Sections
nav-home = Home
breadcrumb-label = Breadcrumb
footer-about = { $site } runs on Kiosque, the open-source publishing platform for newsrooms.
footer-publisher = Publisher: { $publisher }

# Banner on old articles. $years: whole years; $words: the number as shown.
age-banner = { $years ->
    [one] This article is more than 1 year old
   *[other] This article is more than { $words } years old
}

byline-by = By
byline-with = with
list-and = and
published-label = Published
updated-label = Updated
reading-time = Reading time: { $minutes } min
lead-image-credit = Photo credit
tags-heading = Topics
comments-heading = Comments
comments-login = Log in to your { $site } account to join the conversation.
comments-closed = Comments are closed for this article.

home-title = { $site }: news as it happens
home-heading = Top story
home-latest = Latest news
section-heading = { $section }: all the news
section-subsections = Subsections
section-empty = No article published in this section yet.
listing-more = Older articles
tag-heading = Topic: { $tag }
tag-title = { $tag }: articles
author-heading = { $name }
author-articles = Articles
desk-articles = From the newsroom

accounts-title = Reader accounts
accounts-heading = Reader accounts are coming soon
accounts-text = Reader sign-up and login are not open yet on { $site }. Soon you will be able to log in and comment on articles.
accounts-back = Back to the home page

error-not-found-title = Page not found
error-not-found-text = The page you are looking for does not exist or has moved.
error-gone-title = Article withdrawn
error-gone-text = This article was withdrawn by the newsroom and is no longer available.
error-internal-title = Server error
error-internal-text = Something went wrong on our side. Please try again in a moment.
error-bad-request-title = Bad request
error-bad-request-text = This address is not valid.
error-home-link = Back to the home page
