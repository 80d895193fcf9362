"""How a visitor heard of the project (认知途径), stored as codes and shown translated."""
from app.i18n import N_

CHANNELS = {
    "walk_by": N_("Passing by"),
    "friend": N_("Friend's recommendation"),
    "internet": N_("Internet"),
    "newspaper": N_("Newspaper"),
    "billboard": N_("Outdoor advertising"),
    "phone": N_("Phone call"),
    "agency": N_("Agency"),
    "owner_referral": N_("Referred by an owner"),
    "other": N_("Other"),
}

FOLLOW_UP_METHODS = {
    "phone": N_("Phone"),
    "wechat": N_("WeChat"),
    "sms": N_("Text message"),
    "visit": N_("Visit"),
}

RELATIONS = {
    "spouse": N_("Spouse"),
    "parent": N_("Parent"),
    "sibling": N_("Sibling"),
    "child": N_("Child"),
}
