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
error-forbidden-title = Access denied
error-forbidden-text = You are not allowed to do this, or the form has expired. Reload the page and try again.
correction-heading = Correction
correction-label = Correction of { $date }:

## Back office

admin-title-suffix = Newsroom
admin-nav-dashboard = Dashboard
admin-nav-articles = Articles
admin-nav-new = New article
admin-nav-users = Users
admin-nav-audit = Audit log
admin-nav-account = My account
admin-logout = Log out
admin-view-site = View site
admin-login-title = Newsroom login
admin-login-email = Email address
admin-login-password = Password
admin-login-submit = Log in
admin-login-failed = Wrong email address or password.
admin-login-throttled = Too many login attempts. Try again in { $minutes } minutes.
admin-setup-title = Create the first administrator account
admin-setup-intro = This one-time link expires within an hour. The account will administer { $site }.
admin-setup-submit = Create the account
admin-name = Name
admin-password-again = Confirm the password
admin-role = Role
admin-role-admin = Administrator
admin-role-editor = Editor
admin-role-journalist = Journalist
admin-error-password-short = The password must be at least 10 characters long.
admin-error-password-mismatch = The two passwords differ.
admin-error-current-password = The current password is wrong.
admin-error-name = Enter a name.
admin-error-email = Enter a valid email address.
admin-error-email-taken = This email address is already in use.
admin-error-role = Choose a role.
admin-error-headline = The headline is required.
admin-error-headline-slug = The headline needs at least one letter or digit.
admin-error-section = Choose a section.
admin-error-contributor = Unknown contributor: “{ $name }”.
admin-error-alt = Describe the image (alt text).
admin-error-correction-note = A correction needs a public note.
admin-error-schedule = Enter a publication date and time in the future.
admin-error-not-an-image = This file is not a readable JPEG, PNG, WebP or GIF image.
admin-error-image-too-large = This image is too large: 12,000 pixels a side and 40 megapixels at most.
admin-error-body-size = The text is limited to { $name } kB.
admin-error-media-unknown = No picture in the library has this number.
admin-error-missing = Not found: { $name }.
admin-error-invalid = Cannot save: { $name }
admin-error-storage = Cannot save right now: the server cannot write anything (disk full or read-only). Your text is kept below; try again in a few minutes.
admin-form-errors = The form has errors; nothing you typed is lost.
admin-saved = Saved.
admin-status-draft = Draft
admin-status-scheduled = Scheduled
admin-status-published = Published
admin-status-unpublished = Unpublished
admin-awaiting-review = Waiting for review
admin-dashboard-mine = My drafts
admin-dashboard-review = Drafts to review
admin-dashboard-scheduled = Scheduled
admin-dashboard-published = Recently published
admin-dashboard-jobs = Failed jobs
admin-dashboard-none = Nothing for now.
admin-col-headline = Headline
admin-col-status = Status
admin-col-section = Section
admin-col-author = Created by
admin-col-modified = Modified
admin-col-published = Publication
admin-filter-all = All
admin-filter-text = Search headlines
admin-filter-mine = My articles
admin-filter-review = To review
admin-filter-submit = Filter
admin-more = Next
admin-field-headline = Headline
admin-field-kicker = Kicker
admin-field-standfirst = Standfirst
admin-field-body = Body (Markdown)
admin-field-section = Section
admin-field-tags = Tags (comma-separated)
admin-field-contributors = Contributors, in byline order (comma-separated)
admin-field-agencies = Agencies (comma-separated, e.g. AFP, Reuters)
admin-field-language = Article language
admin-field-comments = Comments open
admin-field-seo-title = Search engine title
admin-field-seo-description = Search engine description
admin-field-lead = Lead image
admin-field-lead-file = Upload an image (JPEG, PNG, WebP or GIF)
admin-field-lead-id = Or the number of a library image
admin-field-lead-alt = Alt text
admin-field-lead-caption = Caption
admin-field-lead-credit = Credit
admin-field-edit-kind = Kind of change
admin-edit-minor = Minor edit (no public date)
admin-edit-update = Update (shows “Updated”)
admin-edit-correction = Correction (with a public note)
admin-field-correction-note = Public correction note
admin-field-schedule = Publication time ({ $zone } time)
admin-words = { $count } words · { $minutes } min read
admin-preview-live = Body preview
admin-action-save = Save
admin-action-submit = Submit for review
admin-action-publish = Publish
admin-action-schedule = Schedule
admin-action-unpublish = Unpublish
admin-open-preview = Page preview
admin-open-public = View online
admin-open-history = History
admin-autosave-idle = Saved automatically every 30 seconds.
admin-conflict-title = Edit conflict
admin-conflict-intro = Someone saved this article while you were editing it. Nothing was overwritten: compare both versions, take over what matters, then save your version.
admin-conflict-theirs = Version saved by { $name } on { $date }
admin-conflict-mine = Your version (not saved)
admin-conflict-keep-mine = Save my version instead
admin-history-title = History: { $headline }
admin-history-compare = Compare
admin-history-restore = Restore this version
admin-history-from = From version
admin-history-to = to version
admin-revision-create = Created
admin-revision-draft = Draft
admin-revision-autosave = Autosave
admin-revision-minor = Minor edit
admin-revision-update = Update
admin-revision-correction = Correction
admin-revision-restore = Restore
admin-account-password = Change password
admin-account-current = Current password
admin-account-new = New password
admin-account-done = Password changed. Your other sessions were closed.
admin-account-tokens = Personal API tokens
admin-account-token-name = Token name
admin-account-token-create = Create a token
admin-account-token-shown-once = Copy this token now: it will never be shown again.
admin-account-token-revoke = Revoke
admin-account-token-revoked = Revoked
admin-account-token-last-used = Last used
admin-users-create = Create an account
admin-users-deactivate = Deactivate
admin-users-activate = Reactivate
admin-users-inactive = Deactivated
admin-audit-when = When
admin-audit-who = Who
admin-audit-action = Action
admin-audit-target = Target
admin-tool-bold = Bold
admin-tool-bold-short = B
admin-tool-italic = Italic
admin-tool-heading = Subheading
admin-tool-quote = Quote
admin-tool-list = List
admin-tool-link = Link
admin-presence-others = Also open by:
admin-presence-take-over = Take over
admin-presence-taken = Someone took over this article: your saves will be refused if they save first; nothing will be overwritten.
admin-nav-taxonomy = Sections and contributors
admin-taxonomy-sections = Sections
admin-taxonomy-sections-help = Changing a section's slug changes its address; the old address redirects to the new one.
admin-taxonomy-slug = URL slug
admin-taxonomy-position = Order
admin-taxonomy-description = Description
admin-taxonomy-new-section = New section
admin-taxonomy-parent = Inside section
admin-taxonomy-create = Create
admin-taxonomy-tags = Tags
admin-taxonomy-merge-into = Merge into
admin-taxonomy-contributors = Contributors and desks
admin-taxonomy-new-contributor = New contributor
admin-taxonomy-person = Journalist
admin-taxonomy-desk = Desk
admin-error-slug = A URL slug may only hold lowercase letters, digits and hyphens.
admin-error-slug-taken = This URL slug is already in use.
admin-nav-media = Media library
admin-media-upload = Add to the library
admin-media-number = Image no. { $id }
admin-media-original = View the original
admin-media-copyright = Copyright
admin-media-focal = Focal point (crops keep it in frame; click the picture to set it)
admin-media-focal-x = Horizontal (%)
admin-media-focal-y = Vertical (%)
admin-nav-settings = Settings
admin-settings-name = Site name
admin-settings-publisher = Publisher (shown under bylines)
admin-settings-base-url = Public address of the site
admin-settings-locale = Interface language
admin-settings-timezone = Time zone (IANA, e.g. Europe/Paris)
admin-settings-age-days = “This article is more than…” banner after (days)
admin-error-base-url = The public address must start with http:// or https://.
admin-error-locale = Choose French or English.
admin-error-timezone = Unknown time zone.
admin-error-days = Enter a number of days.
admin-nav-wire = Wire
admin-wire-agency = Agency
admin-wire-language = Language
admin-wire-urgent-only = Urgent only
admin-wire-live = The list updates itself.
admin-wire-received = Received
admin-wire-urgency = Urgency
admin-wire-version = Version
admin-wire-killed = Killed by the agency
admin-wire-held = Embargoed or withheld
admin-wire-has-article = Article made
admin-wire-open-article = Open the article made from this dispatch
admin-wire-newer = the agency sent version { $version }; the article was made from version { $from }. The differences are below; the article is not changed.
admin-wire-create-article = Create an article from this dispatch
admin-wire-status = Status
admin-wire-created = Created
admin-wire-usage = Usage terms
admin-wire-remote = Remote picture (not fetched)
admin-wire-versions = Versions received
admin-editor-wire-newer = A newer version of the source dispatch has arrived (version { $version }).
admin-editor-wire-compare = See the differences
admin-wire-subjects = Subjects
admin-error-wire-embargo = The source dispatch is under embargo until { $name }: schedule the article for then or later.
admin-error-wire-withheld = The source dispatch is withheld or killed by the agency: the article cannot be published.
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
archive-month = Archive: { $month } { $year }
archive-day = Archive: { $day } { $month } { $year }
related-heading = Read also

search-title = Search
search-title-query = “{ $query }”: search
search-label = Search the site
search-placeholder = Search…
search-submit = Search
search-filters = Refine
search-section = Section
search-section-all = All sections
search-from = From
search-to = To
search-prompt = Type one or more words; quotes search for an exact phrase.
search-none = No article matches “{ $query }”. Check the spelling or try more general words.
search-count = { $count ->
    [one] One article matches “{ $query }”.
   *[other] { $count } articles match “{ $query }”.
}
search-bad-date = A date was not understood (expected YYYY-MM-DD) and was ignored.
search-pages = Result pages
search-previous = Previous page
search-next = Next page

admin-nav-fronts = Fronts
admin-fronts-home = Home page
admin-fronts-help = Each front opens with the articles chosen here, in this order; the latest follow.
admin-fronts-front = Front
admin-fronts-slots = Pinned articles
admin-fronts-updated = Changed
admin-fronts-edit = Front: { $front }
admin-fronts-editor-help = The first article is the lead story. An article stays pinned until the time given (empty: until further notice). Only published articles appear on the site.
admin-fronts-article = Article
admin-fronts-until = Pinned until
admin-fronts-lead = Lead
admin-fronts-not-public = not live
admin-fronts-error-article = Slot { $slot }: this article does not exist.
admin-fronts-error-until = Slot { $slot }: the end time was not understood.
admin-fronts-error-duplicate = The same article cannot fill two slots.
admin-fronts-conflict = Someone changed this front while you were preparing it: nothing was overwritten. Here is the saved version; your choices are kept below, save again to apply them.
admin-fronts-current = Saved version:

share-heading = Share
share-email = By e-mail
share-copy = Copy the link:

translations-label = Also in:

admin-field-translation-of = Translation of article no.
admin-field-translation-of-help = The original article's number: the versions point to each other (hreflang) and are offered to readers.
admin-error-translation = The original article's number must be a number.

admin-taxonomy-photo = Portrait (media no.)
admin-error-photo = The portrait must be the number of a picture in the media library.

admin-error-translation-unknown = No article has this number.

## Reader accounts
error-too-many-title = Too many requests
error-unavailable-title = Cannot save right now
error-unavailable-text = The site cannot store anything at the moment (disk full or read-only files). Nothing was changed; try again in a few minutes.
error-too-many-text = You made too many requests in a short time. Wait a moment, then try again.
account-title = My account
account-login-title = Log in
account-signup-title = Create an account
account-sent-title = Check your inbox
account-magic-title = Log in with a link
account-forgot-title = Forgotten password
account-reset-title = New password
account-verify-title = Address confirmation
account-deleted-title = Account deleted
account-deleted-text = Your account has been deleted and all your sessions are closed.
account-email = E-mail address
account-password = Password
account-new-password = New password
account-current-password = Current password
account-display-name = Name shown under your comments
account-password-help = At least { $min } characters. Common passwords are refused.
account-login-submit = Log in
account-forgot-link = Forgotten password?
account-magic-heading = Without a password
account-magic-submit = Send me a login link
account-magic-confirm = Log me in
account-verify-confirm = Confirm my address
account-email-confirm = Confirm my new address
account-no-account = No account yet?
account-signup-link = Create an account
account-have-account = Already have an account?
account-login-link = Log in
account-signup-submit = Create my account
account-sent-text = If an account can use it, a message has just been sent to { $email }. Follow its link to continue.
account-forgot-text = Enter your account's address: we will send you a link to choose a new password.
account-forgot-submit = Send the link
account-reset-submit = Save the password
account-unverified = Your address { $email } is not confirmed yet: you cannot comment yet.
account-resend = Send the confirmation link again
account-profile = Profile
account-notify-replies = E-mail me when someone replies to my comments
account-save = Save
account-change-email = E-mail address
account-current-email = Current address: { $email }
account-new-email = New address
account-change-email-submit = Change address
account-change-password = Password
account-change-password-submit = Change password
account-data = My data
account-download = Download my data (JSON)
account-logout = Log out
account-delete = Delete my account
account-delete-anonymise = Your comments will stay, signed "Deleted account". Your sessions will be closed.
account-delete-remove = Your comments will be removed with your account. Your sessions will be closed.
account-delete-submit = Delete my account for good
account-error-throttled = Too many attempts. Wait a few minutes, then try again.
account-error-login = Wrong address or password.
account-error-email = This e-mail address is not valid.
account-error-link = This link is no longer valid: it was used already or it expired. Ask for a new one.
account-error-name = The name shown must be 2 to 60 characters long.
account-error-password-short = The password is too short.
account-error-password-common = This password is too common: choose another one.
account-error-current-password = The current password is wrong.
account-error-email-taken = Another account already uses this address.
account-ok-verified = Your address is confirmed. Welcome!
account-ok-sent = A new confirmation link has been sent to you.
account-ok-password = Your password is changed; your other sessions are closed.
account-ok-profile = Profile saved.
account-ok-email = Your new address is confirmed.
account-ok-email-sent = A confirmation link has been sent to the new address.

## E-mails to readers
mail-verify-subject = Confirm your address on { $site }
mail-verify-text = Hello { $name },

    To confirm your address and start commenting on { $site }, open this link (valid for 48 hours):
    { $link }

    If you did not create an account, ignore this message.
mail-exists-subject = Your account on { $site }
mail-exists-text = Hello,

    Someone tried to create an account on { $site } with this address, which already has one. If it was you and you forgot your password:
    { $link }

    Otherwise, ignore this message.
mail-magic-subject = Your login link for { $site }
mail-magic-text = Hello { $name },

    To log in to { $site }, open this link (valid for 15 minutes, once):
    { $link }

    If you did not ask for it, ignore this message.
mail-reset-subject = New password on { $site }
mail-reset-text = Hello { $name },

    To choose a new password, open this link (valid for one hour, once):
    { $link }

    If you did not ask for it, ignore this message: your password stays the same.
mail-change-email-subject = Confirm your new address on { $site }
mail-change-email-text = Hello { $name },

    To use this address with your { $site } account, open this link (valid for 48 hours):
    { $link }
mail-reply-subject = { $author } replied to you on { $site }
mail-reply-text = Hello { $name },

    { $author } replied to your comment:
    { $link }

    You can stop these messages from your account.
mail-rejected-subject = Your comment on { $site } was not published
mail-rejected-text = Hello { $name },

    Your comment was not published. Reason: { $reason }

    Your text:
    { $comment }

    The conversation: { $link }
mail-warned-subject = A warning from the { $site } moderators
mail-warned-text = Hello { $name },

    The moderators of { $site } send you a warning: { $reason }
mail-suspended-subject = Your comments on { $site } are suspended
mail-suspended-text = Hello { $name },

    You cannot comment for a while. Reason: { $reason }
mail-banned-subject = You can no longer comment on { $site }
mail-banned-text = Hello { $name },

    Your account can no longer post comments. Reason: { $reason }

## Comments
comments-count = Comments ({ $count })
comments-open-link = Read the comments and join the conversation
comments-page-title = Comments: { $headline }
comments-login-link = Log in
comments-signup-link = Create an account
comments-account-link = My account
comments-as = Your comment, published as { $name }
comments-logged-in-as = Logged in as { $name }
comments-help = Plain text, 2,000 characters at most. Links become clickable.
comments-submit = Publish
comments-kept = Your text, to copy if you want to keep it
comments-save = Save
comments-featured = Editors' pick
comments-edited = (edited)
comments-pending = Awaiting moderation
comments-in-reply-to = in reply to { $name }
comments-like = Like
comments-unlike = Unlike
comments-likes = { $count } likes
comments-reply = Reply
comments-reply-to = Your reply to { $name }
comments-edit = Edit
comments-edit-label = Your comment
comments-delete = Delete
comments-report = Report
comments-report-reason = Reason for the report
comments-report-submit = Report this comment
comments-report-spam = Advertising or spam
comments-report-abuse = Insult or harassment
comments-report-hate = Hate speech
comments-report-off-topic = Off topic
comments-report-other = Other
comments-more-replies = See { $count } more replies
comments-sort = Sort:
comments-sort-newest = newest
comments-sort-oldest = oldest
comments-sort-liked = most liked
comments-load-more = More comments
comments-deleted-account = Deleted account
comments-closed-editor = The editors closed the comments on this article. The conversation stays readable.
comments-closed-expired = Comments on this article closed once it grew older than the site allows. The conversation stays readable.
comments-barred-banned = Your account can no longer post comments.
comments-barred-suspended = Your comments are suspended until { $until }.
comments-error-closed = Comments are closed for this article.
comments-error-suspended = Your comments are suspended for now.
comments-error-unverified = Confirm your e-mail address to comment.
comments-error-throttled = You are posting too fast. Wait a moment; your text is kept.
comments-error-empty = Your comment is empty.
comments-error-long = Your comment is longer than 2,000 characters.
comments-error-storage = Your comment could not be saved: the site cannot store anything at the moment. Your text is kept below; try again in a few minutes.
comments-error-repeated = You already posted this comment.
comments-error-banned-word = Your comment holds a word this site does not accept.
comments-error-edit-late = A comment can no longer be edited five minutes after it was posted.
comments-notice-pending = Thank you! Your comment will be published once a moderator has read it.
comments-notice-deleted = Your comment has been deleted.
comments-notice-reported = Thank you, a moderator will look at this comment.

## Moderation
admin-nav-moderation = Moderation
admin-role-moderator = Moderator
admin-moderation-title = Comment moderation
admin-moderation-queues = Moderation queues
admin-moderation-queue-pending = Pending
admin-moderation-queue-reported = Reported
admin-moderation-queue-recent = Recent
admin-moderation-readers = Readers
admin-moderation-log = Log
admin-moderation-rules = Rules
admin-moderation-done = { $count } comment(s) handled.
admin-moderation-keys = Shortcuts: j / k to move between comments, x to tick one, a to approve, r to reject, f to feature.
admin-moderation-reason = Reason
admin-moderation-approve-selected = Approve selected
admin-moderation-reject-selected = Reject selected
admin-moderation-feature-selected = Feature selected
admin-moderation-select = Select comment
admin-moderation-why = Held:
admin-moderation-reports = Reports:
admin-moderation-approve = Approve
admin-moderation-reject = Reject
admin-moderation-feature = Feature
admin-moderation-unfeature = Unfeature
admin-moderation-empty = Nothing to moderate here.
admin-moderation-default-reason = This comment does not follow the conversation's rules.
admin-moderation-find = Name or address
admin-moderation-state = State
admin-moderation-since = Joined
admin-moderation-staff = Staff
admin-moderation-banned = Banned
admin-moderation-suspended-until = Suspended until { $until }
admin-moderation-premoderated = Always pre-moderated
admin-moderation-unverified = Address not confirmed
admin-moderation-active = Active
admin-moderation-warnings = Warnings
admin-moderation-days = Suspension length (days)
admin-moderation-warn = Warn
admin-moderation-suspend = Suspend
admin-moderation-ban = Ban
admin-moderation-premoderate = Always pre-moderate
admin-moderation-postmoderate = Stop pre-moderating
admin-moderation-reinstate = Lift the sanction
admin-moderation-their-comments = Their comments
admin-moderation-action-approve = Approval
admin-moderation-action-reject = Rejection
admin-moderation-action-feature = Featured
admin-moderation-action-unfeature = Unfeatured
admin-moderation-action-warn = Warning
admin-moderation-action-suspend = Suspension
admin-moderation-action-ban = Ban
admin-moderation-action-premoderate = Pre-moderation
admin-moderation-action-postmoderate = End of pre-moderation
admin-moderation-action-reinstate = Sanction lifted
admin-moderation-error-reason = Give a reason: it is sent to the reader and kept in the log.
admin-moderation-error-days = The length must be a number of days from 1 to 365.
admin-moderation-error-close = The closing delay must be a number of days (0: never).
admin-moderation-error-first = The number of first comments to pre-moderate must be a whole number.
admin-moderation-error-ids = "{ $value }" is not a number.
admin-comment-status-pending = pending
admin-comment-status-approved = published
admin-comment-status-rejected = rejected
admin-comment-status-deleted = deleted
admin-rules-close = Close comments after (days; 0 or empty: never)
admin-rules-premoderate-all = Pre-moderate every comment on the site
admin-rules-first = Pre-moderate each reader's first comments (number)
admin-rules-links = Pre-moderate comments holding a link
admin-rules-banned = Banned words (refused), comma-separated
admin-rules-suspect = Suspect words (held), comma-separated
admin-rules-sections = Pre-moderated sections (numbers)
admin-rules-articles = Pre-moderated articles (numbers)
admin-rules-deletion = When an account is deleted
admin-rules-deletion-anonymise = keep its comments, anonymised
admin-rules-deletion-remove = remove its comments
admin-why-link = holds a link
admin-why-new = new commenter
admin-why-site = site pre-moderation
admin-why-section = pre-moderated section
admin-why-article = pre-moderated article
admin-why-reader = reader always pre-moderated
admin-why-suspect = suspect word "{ $word }"
header-account = My account
admin-dashboard-pending-comments = { $count ->
    [0] No comment pending
    [one] One comment pending
    *[other] { $count } comments pending
}
search-landmark-site = Search the site
search-landmark-page = Search the articles
comments-page-heading = Comments: { $headline }
comments-page-back = Back to the article

## Static pages, redirects, import
footer-pages = Legal and practical information
comments-charter = Read the moderation charter
admin-nav-pages = Pages
admin-nav-redirects = Redirects
admin-nav-import = Import
admin-yes = yes
admin-previous = Previous
admin-next = Next
admin-pages-help = Pages that are not news: legal notice, privacy policy, moderation charter, contact. No section, byline, date or comments.
admin-pages-none = No pages yet.
admin-page-new = New page
admin-page-title = Title
admin-page-path = Address
admin-page-path-help = Lower-case letters, digits and hyphens, up to three levels: "legal-notice", "help/contact". The page is served at /address/.
admin-page-description = Description (search engines)
admin-page-body = Text (Markdown)
admin-page-draft = Draft
admin-page-published = Published
admin-page-in-footer = Linked from the footer
admin-page-delete = Delete the page
admin-page-revisions = Versions
admin-page-view = View the page
admin-page-conflict = Someone saved this page while you were editing it. Nothing was overwritten: your text is in the form, theirs above. Save again to keep yours.
admin-page-conflict-title = The version saved in the meantime
admin-page-theirs = Text saved by the other person
admin-error-page-title = The title is required (300 characters at most).
admin-error-page-path = This address is not valid
admin-error-page-path-section = This address is a section's
admin-error-page-path-taken = Another page already lives at this address
admin-error-page-description = The description is limited to 300 characters.
admin-redirects-help = Old addresses and where they lead: exact paths or prefixes, moved permanently (301), temporarily (302) or gone (410). Imports add one for every old address.
admin-redirects-search = Address containing
admin-redirects-count = { $count ->
    [0] No redirects
    [one] One redirect
   *[other] { $count } redirects
}
admin-redirects-export = Export as CSV
admin-redirects-old = Old address
admin-redirects-new = New address
admin-redirects-status = Answer
admin-redirects-origin = Origin
admin-redirects-delete = Delete
admin-redirects-none = No redirects.
admin-redirects-add = Add a redirect
admin-redirects-prefix = Every address starting like this
admin-redirects-301 = moved permanently
admin-redirects-302 = moved temporarily
admin-redirects-410 = gone
admin-redirects-csv = Import a CSV file
admin-redirects-csv-help = One line per redirect: old address, new address, answer (301, 302 or 410), and "prefix" for a prefix. Everything is saved, or nothing if a line is wrong.
admin-redirects-csv-file = CSV file
admin-redirects-csv-import = Import
admin-redirects-imported = { $count ->
    [one] One redirect saved.
   *[other] { $count } redirects saved.
}
admin-error-redirect-path = The old address is a path starting with / ("/2019/05/old-title/", "/?p=12").
admin-error-redirect-root = A prefix of / would redirect the whole site.
admin-error-redirect-status = The answer is 301, 302 or 410.
admin-error-redirect-target = The new address is a path on this site (/world/) or an http(s) address.
admin-error-redirect-loop = An address cannot redirect to itself.
admin-error-redirect-csv-size = The CSV file is too large.
admin-error-redirect-csv = Wrong line in the CSV file.
admin-import-help = Bring in a WordPress site's archive (Tools › Export) or a Ghost site's (Settings › Labs › Export): articles, pages, sections, authors, comments, and a redirect for every old address. Running an import again only changes what changed.
admin-import-system = The file comes from
admin-import-dry-run = Dry run: read everything, write nothing
admin-import-file = Export file ({ $mb } MB at most)
admin-import-media-help = Pictures are taken from the old site's media folder with "kiosque import … --media-dir FOLDER"; from the browser, articles are imported without their pictures.
admin-import-start = Start the import
admin-import-recent = Recent imports
admin-import-running = Importing…
admin-import-progress = Progress
admin-import-lines = { $count } items processed
admin-import-refused = The file is refused; nothing was written.
admin-import-failures = Failures
admin-import-report = Report, item by item
admin-import-error-system = Choose WordPress or Ghost.
admin-import-error-file = Choose an export file.
admin-error-import-file = The file cannot be read.

# Live coverage
live-badge = Live
live-closed = This live coverage has ended
live-summary-heading = What you need to know
live-key-events = Key events
live-key-event = Key event
live-pinned = Pinned
live-stream-heading = Live updates
live-permalink = Link to this update
live-older = Older updates
live-newer = Newer updates
live-latest = Back to the latest updates
live-feed = Follow this live (RSS)
live-empty = No updates yet.
live-new-one = 1 new update
live-new-other = %n new updates
live-error-empty = The update is empty.
live-error-too-long = The update is too long.
live-error-title = The update's title is too long.

# Live desk
admin-field-kind = Kind
admin-kind-standard = Article
admin-kind-live = Live coverage (stream of updates)
admin-live-desk = Live
admin-live-desk-open = Open the live desk
admin-live-open = Live
admin-live-closed = Ended
admin-live-close = End the live
admin-live-reopen = Reopen the live
admin-live-closed-help = This live has ended: reopen it to post new updates.
admin-live-closed-refused = This live has ended: the update was not posted.
admin-live-edit-article = Edit the article (summary, headline, picture)
admin-live-field-title = Update title (optional)
admin-live-field-body = Update (Markdown)
admin-live-field-credit = Agency
admin-live-help = Ctrl+Enter posts. The stream updates by itself.
admin-live-post = Post the update
admin-live-save = Save
admin-live-stream = The stream
admin-live-empty = No updates yet.
admin-live-key = Key event
admin-live-pinned = Pinned
admin-live-mark-key = Mark as key event
admin-live-unmark-key = Remove from key events
admin-live-pin = Pin
admin-live-unpin = Unpin
admin-live-edit = Edit
admin-live-delete = Delete
admin-live-delete-confirm = Take this update off the live? It stays in the history.
admin-live-permalink = Link
admin-live-edit-entry = Edit an update
admin-live-stale = Someone changed this update meanwhile: nothing was saved.
admin-live-stale-current = The update now says:
admin-live-action-create = posted
admin-live-action-edit = edited
admin-live-action-delete = deleted
admin-live-add = Add to the live
admin-live-add-help = The dispatch's text becomes an update to check, credited to the agency.

# Push alerts
alerts-title = Alerts
alerts-footer-link = Get alerts
alerts-intro = Get a notification when news breaks, even when the site is closed.
alerts-topics = Topics
alerts-topic-breaking = Breaking news
alerts-enable = Turn alerts on
alerts-disable = Turn alerts off
alerts-needs-script = Alerts need a recent browser with JavaScript.
alerts-unsupported = This browser does not allow notifications.
alerts-on = Alerts are on in this browser.
alerts-off-done = Alerts are off.
alerts-denied = Notifications are blocked for this site in your browser.
alerts-failed = Turning alerts on failed; try again later.
alerts-privacy = No account is needed and no third party is involved: the site sends alerts to your browser's push service, encrypted for your browser alone. You can turn them off here at any time.
alerts-error-subscription = The subscription is refused.
alerts-error-title = The title is empty or longer than 80 characters.
alerts-error-body = The text is empty or longer than 160 characters.
alerts-error-url = The link must be an address of this site.
alerts-error-topics = Choose at least one topic.

# Alerts (back office)
admin-nav-alerts = Alerts
admin-alerts-title = Send an alert
admin-alerts-help = The alert goes to the browsers subscribed to the chosen topics. Read it again: a sent alert cannot be taken back.
admin-alerts-field-title = Title (80 characters at most)
admin-alerts-field-body = Text (160 characters at most)
admin-alerts-field-url = Link (a page of this site)
admin-alerts-field-topics = Topics
admin-alerts-preview = Preview
admin-alerts-confirm-title = Check the alert before sending it
admin-alerts-confirm-topics = Sent to the subscribers of:
admin-alerts-send = Confirm and send
admin-alerts-cancel = Cancel
admin-alerts-sent = Alert #{ $id } is being sent.
admin-alerts-latest = Latest alerts
admin-alerts-col-at = Sent
admin-alerts-col-recipients = Recipients
admin-alerts-col-sent = Delivered
admin-alerts-col-retried = Retries
admin-alerts-col-dropped = Expired subscriptions
admin-alerts-col-failed = Failures
admin-alerts-pending = { $count } pending
admin-alerts-none = No alert sent yet.
admin-alerts-from-wire = Prepare an alert

## Newsletters
newsletters-title = Newsletters
newsletters-intro = Get the news that matters by e-mail. We send you a confirmation first: nothing goes out without it.
newsletters-none = No newsletter yet.
newsletters-when = Every day around { $time }
newsletters-email = Your e-mail address
newsletters-subscribe = Subscribe
newsletters-privacy = Your address is used for this newsletter only. Every e-mail has a one-click unsubscribe link.
newsletters-sent-title = Check your inbox
newsletters-sent-text = Unless this address is subscribed already, a confirmation e-mail is on its way. Open it and press the button to receive "{ $name }".
newsletters-confirm-title = Confirm your subscription
newsletters-confirm-text = You are about to receive "{ $name }" at { $email }.
newsletters-confirm-button = Confirm my subscription
newsletters-confirmed-title = Subscription confirmed
newsletters-confirmed-text = You will receive "{ $name }". Every e-mail has a link to unsubscribe.
newsletters-invalid-title = Invalid link
newsletters-invalid-text = This link has expired or has been used. You can ask again.
newsletters-unsubscribe-title = Unsubscribe
newsletters-unsubscribe-text = You will no longer receive "{ $name }" at { $email }.
newsletters-unsubscribe-button = Unsubscribe me
newsletters-unsubscribed-title = Unsubscribed
newsletters-unsubscribed-text = You will no longer receive "{ $name }".
newsletters-back = All newsletters
newsletters-error-email = This e-mail address is not valid.
newsletters-error-throttled = Too many requests: try again in a few minutes.
newsletters-block-title = The "{ $name }" newsletter
newsletters-mail-read = Read the article
newsletters-mail-why = You receive this e-mail because you subscribed to "{ $name }" from { $site }.
newsletters-mail-unsubscribe = Unsubscribe in one click
newsletters-account-title = My newsletters
newsletters-account-on = Subscribed
newsletters-account-subscribe = Subscribe
newsletters-account-unsubscribe = Unsubscribe
newsletter-error-name = Give a name (120 characters at most).
newsletter-error-slug = The address may only hold lowercase letters, digits and hyphens.
newsletter-error-description = The description is too long.
newsletter-error-sender = The sender's name is too long.
newsletter-error-time = Write the sending time as HH:MM.
newsletter-error-subject = Give a subject (200 characters at most).
newsletter-error-intro = The introduction is too long.
newsletter-error-articles = An edition holds at most 30 existing articles, each once.
newsletter-error-email = This e-mail address is not valid.
newsletter-error-at = The sending time has passed.
newsletter-error-dsn = This is not a delivery status notification (RFC 3464).
webhook-error-url = The address must be an http or https URL.
webhook-error-events = Choose at least one event.
webhook-error-private = This address leads to a private network or to this machine.
admin-nav-newsletters = Newsletters
admin-nav-webhooks = Webhooks
admin-newsletters-title = Newsletters
admin-newsletters-help = Readers subscribe at /newsletters (double opt-in); each edition goes once to every confirmed subscriber.
admin-newsletters-col-name = Name
admin-newsletters-col-subscribers = Confirmed subscribers
admin-newsletters-col-time = Sending time
admin-newsletters-col-page = Sign-up page
admin-newsletters-none = No newsletter.
admin-newsletters-create = Create a newsletter
admin-newsletters-field-name = Name
admin-newsletters-field-slug = Address (made from the name when empty)
admin-newsletters-field-description = Description
admin-newsletters-field-sender = Sender's name
admin-newsletters-field-time = Usual sending time
admin-newsletters-subscribers = { $count } confirmed subscribers
newsletter-error-slug-taken = Another newsletter has this address.
admin-editions-title = Editions
admin-editions-none = No edition.
admin-editions-new = New edition
admin-editions-col-subject = Subject
admin-editions-col-state = State
admin-editions-col-when = Sending
admin-editions-col-recipients = Recipients
admin-editions-col-sent = Sent
admin-editions-col-pending = Waiting
admin-editions-col-failed = Failed
admin-editions-col-suppressed = Suppressed addresses
admin-editions-col-unsubscribed = Unsubscribed since
admin-editions-field-subject = Subject
admin-editions-field-intro = Introduction (Markdown)
admin-editions-field-articles = Articles (ids, in order)
admin-editions-articles-help = An article's id is in its address (…_123.html) and in the article list.
admin-editions-create = Create the edition
admin-editions-from-front = Fill from the front page
admin-editions-save = Save
admin-editions-saved = Edition saved.
admin-editions-stale = Someone changed this edition meanwhile: your text is below; reload to see theirs.
admin-editions-already = This edition is sent or scheduled already: it is never sent twice.
admin-editions-test = Send me a test ({ $email })
admin-editions-test-sent = Test sent to your address.
admin-editions-at = Schedule at (empty: now)
admin-editions-send = Send to { $count } subscribers
admin-editions-confirm = Send this edition to { $count } subscribers? It can no longer be changed.
admin-editions-queued = Sending queued: the worker sends it.
admin-editions-preview = Preview
admin-editions-phone = Phone (390 px)
admin-editions-desktop = Desktop (720 px)
admin-editions-state-draft = draft
admin-editions-state-scheduled = scheduled
admin-editions-state-sending = sending
admin-editions-state-sent = sent
admin-webhooks-title = Webhooks
admin-webhooks-help = Each event is sent signed (Standard Webhooks), with the article as ninjs, and retried on failure.
admin-webhooks-secret = Signing secret, shown once: copy it now.
admin-webhooks-col-url = Address
admin-webhooks-col-events = Events
admin-webhooks-col-created = Created
admin-webhooks-none = No webhook.
admin-webhooks-create = Add a webhook
admin-webhooks-log = Deliveries
admin-webhooks-col-at = Date
admin-webhooks-col-event = Event
admin-webhooks-col-state = State
admin-webhooks-col-status = Answer
admin-webhooks-col-attempts = Attempts
admin-webhooks-col-duration = Duration
admin-webhooks-replay = Replay
admin-webhooks-replayed = Delivery queued again.
admin-webhooks-none-delivered = No delivery.
admin-webhooks-delete = Delete this webhook
account-ok-newsletters = Your newsletters are up to date. A subscription with an unverified address waits for the confirmation sent by e-mail.
newsletters-footer-link = Our newsletters

## Embeds
embed-show = Show content ({ $provider })
embed-notice = By showing this content, you let { $provider } set cookies and receive browsing data.
embed-remember = Always show { $provider } content
embed-original = View on { $provider }

## Galleries
gallery-label = Gallery: { $count } photos
gallery-role = gallery
gallery-previous = Previous photo
gallery-next = Next photo

## Editor: embeds
admin-embeds = Embedded content
admin-embeds-failed = Failed
admin-embeds-refresh = Ask the providers again

## Players
player-download-video = Download the video
player-download-audio = Download the sound
player-captions = Captions
