"""Slack's documented caps (Block Kit and views reference), in one place. Every layout holds
them by construction: text is split across blocks, rows across pages, forms across parts."""

MESSAGE_BLOCKS_MAX = 50
MODAL_BLOCKS_MAX = 100
HOME_BLOCKS_MAX = 100
SECTION_TEXT_MAX = 3000
FIELD_TEXT_MAX = 2000
FIELDS_MAX = 10
HEADER_TEXT_MAX = 150
CONTEXT_ELEMENTS_MAX = 10
BUTTON_VALUE_MAX = 2000  # also a view's private_metadata (3000 there: the lower bound serves both)
MODAL_TITLE_MAX = 24
FALLBACK_TEXT_MAX = 200  # ours, not Slack's: a notification's line, not the message
OPTION_TEXT_MAX = 75  # a select option's text
OPTION_VALUE_MAX = 150  # a select option's value
SELECT_OPTIONS_MAX = 100  # options in one static select
