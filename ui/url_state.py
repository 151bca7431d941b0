"""A lesson's controls, kept in session state and mirrored in the URL.

Every lesson with settings does the same two things: before its widgets are drawn, it
gives each widget its starting value (from the URL on the first visit, checked against
its spec by `lessons.url_settings`; afterwards, the value it last had, because Streamlit
forgets the widgets of a page the learner has left); and after they are drawn, it keeps
the current values and writes them into the URL, so that a teacher can share the state.
"""

from collections.abc import Callable, Iterable

import streamlit as st

from lessons.url_settings import SettingSpec, SettingValue, read_settings, settings_to_params

# Parameters Streamlit itself reads from the URL.
STREAMLIT_OWN = {"embed", "embed_options"}


def restore_widget_values(
    specs: Iterable[SettingSpec], remembered_key: str, widget_key: Callable[[str], str]
) -> None:
    """Set every spec's widget value before the widget is drawn.

    On the first visit the values come from the URL; a bad one falls back to its default
    with a notice (the notice never repeats the URL's text).
    """
    remembered = st.session_state.get(remembered_key)
    if remembered is None:
        specs = list(specs)
        params = {name: st.query_params.get_all(name) for name in st.query_params}
        remembered, problems = read_settings(specs, params)
        for problem in problems:
            st.info(problem, icon=":material/link_off:")
        forget_unknown_parameters(params, {spec.name for spec in specs})
    for name, value in remembered.items():
        st.session_state.setdefault(widget_key(name), value)


def remember_and_share(
    specs: Iterable[SettingSpec], remembered_key: str, values: dict[str, SettingValue]
) -> None:
    """Keep `values` for the next visit and write them into the URL (only if they changed:
    every write to the URL costs the browser a history update)."""
    st.session_state[remembered_key] = values
    wanted = settings_to_params(specs, values)
    if {name: st.query_params.get(name) for name in wanted} != wanted:
        st.query_params.update(wanted)


def forget_unknown_parameters(params: dict, known: set[str]) -> None:
    """Take out of the URL what this page does not read (a typo, another page's setting),
    and say so without repeating it: a crafted link's text is never shown."""
    unknown = [name for name in params if name not in known and name not in STREAMLIT_OWN]
    if not unknown:
        return
    for name in unknown:
        del st.query_params[name]
    count = len(unknown)
    st.info(
        f"The link had {count} setting{'s' if count > 1 else ''} this page does not use; "
        f"{'they were' if count > 1 else 'it was'} left out.",
        icon=":material/link_off:",
    )
