"""Try your own image: upload, camera, canvas or a sample, read by all three models.

Each picture goes through the same input pipeline as `python -m models.predict`
(lessons/image_input.py), then the shipped sigmoid, softmax and multitask models.
A file that cannot be read gets a message next to its name; the others still get
their predictions.
"""

import pandas as pd
import streamlit as st

from lessons.course import lesson_by_slug
from lessons.image_input import ImageInputError, read_image
from lessons.model_comparison import explain_disagreement
from lessons.parsing import label_names, parse_with_threshold
from lessons.sample_images import sample_files, sample_title
from lessons.shapes import CLASS_NAMES
from ui.charts import softmax_and_sigmoid_bars
from ui.image_views import PREDICTED_BOX_COLOUR, draw_boxes, enlarged, markdown_safe
from ui.lesson import start_lesson_page

LESSON = lesson_by_slug("your_image")
MAX_IMAGES = 12
CANVAS_SIDE = 256


def uploaded_pictures() -> list[tuple[str, bytes]]:
    files = st.file_uploader(
        "Images (PNG, JPEG, WebP, GIF or BMP), several at once if you like",
        accept_multiple_files=True,
        key="your_image_uploads",
        help="Files are checked by their content, not their name; each is read on its own.",
    )
    return [(file.name, file.getvalue()) for file in files or []]


def camera_picture() -> list[tuple[str, bytes]]:
    st.caption("Your browser asks before it turns the camera on. The photo stays on this machine.")
    photo = st.camera_input("Take a photo", key="your_image_camera")
    return [("camera photo", photo.getvalue())] if photo is not None else []


def drawn_picture() -> list[tuple[str, bytes]]:
    try:
        from streamlit_drawable_canvas import st_canvas
    except ImportError:
        st.info("The drawing canvas is not installed here; upload a picture of a drawing instead.")
        return []
    tool_column, width_column = st.columns(2)
    tool = tool_column.selectbox(
        "Tool", ["freedraw", "line", "rect", "circle", "polygon"], key="your_image_canvas_tool"
    )
    width = width_column.slider("Stroke width", 2, 20, 8, key="your_image_canvas_width")
    st.caption(
        "Draw a few large shapes with thick strokes. Polygons close when you click "
        "their first corner again."
    )
    result = st_canvas(
        stroke_width=width,
        stroke_color="#1E1E3C",
        fill_color="rgba(0, 0, 0, 0)",
        background_color="#FFFFFF",
        height=CANVAS_SIDE,
        width=CANVAS_SIDE,
        drawing_mode=tool,
        return_image_data=True,
        key="your_image_canvas",
    )
    drawing = (result.json_data or {}).get("objects") if result is not None else None
    if not drawing:
        return []
    return [("your drawing", result.image_bytes)]


def chosen_samples() -> list[tuple[str, bytes]]:
    files = sample_files()
    chosen = st.multiselect(
        "Samples",
        [sample_title(path) for path in files],
        default=[sample_title(files[0])] if files else [],
        key="your_image_samples",
        help="Shapes-world scenes like the training data, and hand-drawn-looking pictures.",
    )
    by_title = {sample_title(path): path for path in files}
    return [(f"sample: {title}", by_title[title].read_bytes()) for title in chosen]


@st.cache_resource(show_spinner=False)
def warm_models():
    """Load the three shipped models once per server process (read-only, shared)."""
    from models import zoo

    for name in zoo.MODEL_NAMES:
        zoo.load_model(name)
    return zoo


def show_prediction(zoo, name: str, data: bytes, threshold: float, index: int) -> None:
    with st.container(border=True):
        st.markdown(f"**{markdown_safe(name)}**")
        try:
            prepared = read_image(data)
        except ImageInputError as problem:
            st.error(str(problem), icon=":material/broken_image:")
            return
        sigmoid = zoo.sigmoid_probabilities(prepared.model_input)[0]
        softmax = zoo.softmax_probabilities(prepared.model_input)[0]
        class_probabilities, boxes = zoo.multitask_prediction(prepared.model_input)
        box_class = int(class_probabilities[0].argmax())
        picture_column, seen_column, bars_column = st.columns([1, 1, 2])
        with picture_column:
            st.image(
                data,
                caption=f"as uploaded: {prepared.original_size[0]} x "
                f"{prepared.original_size[1]} {prepared.format}",
                width=200,
            )
        with seen_column:
            seen = draw_boxes(enlarged(prepared.preview), [(boxes[0], PREDICTED_BOX_COLOUR, False)])
            st.image(
                seen, caption="what the models see (64 x 64), with the multitask box", width=200
            )
        with bars_column:
            # Two decimals: twelve bars share a third of the page; the table has three.
            figure = softmax_and_sigmoid_bars(CLASS_NAMES, softmax, sigmoid, digits=2)
            figure.add_hline(y=threshold, line_dash="dash", annotation_text="threshold")
            figure.update_layout(height=280)
            st.plotly_chart(
                figure, key=f"your_image_bars_{index}", config={"displayModeBar": False}
            )
        said = label_names(parse_with_threshold(sigmoid[None, :], threshold)[0], CLASS_NAMES)
        top = int(softmax.argmax())
        st.markdown(
            f"- **Sigmoid**, threshold {threshold:.2f}: "
            f"{', '.join(said) if said else 'no shape'}\n"
            f"- **Softmax**, read as one answer: {CLASS_NAMES[top]} ({softmax[top]:.2f})\n"
            f"- **Multitask**: {CLASS_NAMES[box_class]} "
            f"({class_probabilities[0][box_class]:.2f}), box x {boxes[0][0]:.2f} to "
            f"{boxes[0][2]:.2f}, y {boxes[0][1]:.2f} to {boxes[0][3]:.2f}"
        )
        explanation = explain_disagreement(CLASS_NAMES, sigmoid, softmax, threshold)
        if explanation:
            st.info(explanation, icon=":material/lightbulb:")
        with st.expander("All the numbers"):
            st.dataframe(
                pd.DataFrame(
                    {
                        "sigmoid": sigmoid,
                        "softmax": softmax,
                        "multitask class": class_probabilities[0],
                    },
                    index=CLASS_NAMES,
                ).style.format("{:.3f}")
            )


text = start_lesson_page(LESSON)
text.show("intro")

upload_tab, camera_tab, draw_tab, sample_tab = st.tabs(["Upload", "Camera", "Draw", "Samples"])
with upload_tab:
    pictures = uploaded_pictures()
with camera_tab:
    pictures += camera_picture()
with draw_tab:
    pictures += drawn_picture()
with sample_tab:
    pictures += chosen_samples()

threshold = st.slider(
    "Threshold for the sigmoid outputs", 0.05, 0.95, 0.5, 0.05, key="your_image_threshold"
)
text.show("how_to_read")

if not pictures:
    st.info("Upload an image, take a photo, draw, or pick a sample to see the predictions.")
else:
    if len(pictures) > MAX_IMAGES:
        st.warning(f"Showing the first {MAX_IMAGES} of {len(pictures)} pictures.")
        pictures = pictures[:MAX_IMAGES]
    with st.spinner("Loading the models (the first time takes a few seconds)..."):
        zoo = warm_models()
    for index, (name, data) in enumerate(pictures):
        show_prediction(zoo, name, data, threshold, index)

text.show("limits")
