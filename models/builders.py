"""The three shipped models: one small convolutional trunk, three kinds of output layer.

- "sigmoid": six sigmoid units, one per shape class, trained with binary cross-entropy on
  multi-hot labels. Each unit answers its own yes/no question, so an image can get any
  number of labels, including none.
- "softmax": the same trunk and six softmax units, trained the way a naive practitioner
  would on the same multilabel data: categorical cross-entropy on the multi-hot label
  divided by its sum (two shapes become 0.5 and 0.5). `models/train.py` trains only its
  dense layers, on the sigmoid model's trunk, frozen (it says why). An image without shapes has an
  all-zero target, which gives no loss and no gradient: a softmax cannot say "nothing".
  The lessons use this model to show what softmax does to an image with two shapes.
- "multitask": trained on single-object images; a softmax head says which class the shape
  is and a box head says where it is (x0, y0, x1, y1, each in [0, 1]).

The trunk keeps its last feature map spatial for the box head (which needs to know where
the shape is) and pools it to one vector per image for the class heads: global max
pooling asks "is this pattern anywhere in the image?", which suits shapes that can sit
anywhere. Every layer is a stock Keras layer, so the saved files load with safe_mode=True.
"""

import os

# Set before the first TensorFlow import, or TensorFlow ignores it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

from lessons import shapes  # noqa: E402

IMAGE_SHAPE = (shapes.IMAGE_SIZE, shapes.IMAGE_SIZE, 3)
CLASS_COUNT = len(shapes.CLASS_NAMES)
TRUNK_FILTERS = (24, 48, 96, 128)
# The first block halves the image with its stride (64 -> 32); the blocks up to this one
# are followed by a max pooling (32 -> 16 -> 8), the rest work on the 8 x 8 grid.
POOLED_BLOCKS = 2
FEATURE_UNITS = 128
LEARNING_RATE = 2e-3

MODEL_NAMES = ("sigmoid", "softmax", "multitask")
CLASS_HEAD = "class"
BOX_HEAD = "box"
# The layer that pools the trunk's map to one vector per image (see `pooled_features`).
POOLED = "anywhere_in_the_image"


def trunk(images):
    """Convolution blocks from a 64 x 64 image to an 8 x 8 map of TRUNK_FILTERS[-1] features.

    The first convolution reads the image at full resolution and steps two pixels at a
    time (stride 2), so the blocks after it work on 32 x 32 and smaller maps: on a
    two-core CPU that costs no more than averaging the image down to 32 x 32 first, which
    the trunk used to do, but the 2-pixel outlines of the shapes reach the convolution
    sharp instead of blurred into their background (measured on held-out images after
    120,000 training images: micro F1 0.73 against 0.68).

    Every convolution is followed by batch normalisation, then the ReLU. Per image it makes
    a training step about twice as slow on this CPU, but the network learns much more from
    each image: measured on held-out images after 120,000 training images, micro F1
    0.86 with it against 0.73 without. The normalisation's own shift replaces the
    convolutions' biases.
    """
    # Pixels from [0, 1] to [-1, 1]: centred inputs make the first steps of training easier.
    x = keras.layers.Rescaling(2.0, offset=-1.0, name="centre_pixels")(images)
    for block, filters in enumerate(TRUNK_FILTERS, start=1):
        x = keras.layers.Conv2D(
            filters,
            3,
            strides=2 if block == 1 else 1,
            padding="same",
            use_bias=False,
            name=f"conv_{block}",
        )(x)
        x = keras.layers.BatchNormalization(name=f"conv_{block}_norm")(x)
        x = keras.layers.ReLU(name=f"conv_{block}_relu")(x)
        if block <= POOLED_BLOCKS:
            x = keras.layers.MaxPooling2D(2, name=f"pool_{block}")(x)
    return x


def pooled_features(feature_map):
    """One vector per image: where in the image a pattern is does not matter for its class."""
    x = keras.layers.GlobalMaxPooling2D(name=POOLED)(feature_map)
    return keras.layers.Dense(FEATURE_UNITS, activation="relu", name="features")(x)


def build_multilabel_classifier(output: str, learning_rate=LEARNING_RATE) -> keras.Model:
    """The "sigmoid" or "softmax" model: image in, six probabilities out.

    The output layer comes last and the feature vector it reads just before it, so
    `models.multilabel_heads.feature_extractor` can take the features for lesson 2.
    """
    if output not in ("sigmoid", "softmax"):
        raise ValueError(f"output must be 'sigmoid' or 'softmax', not {output!r}.")
    images = keras.Input(shape=IMAGE_SHAPE, name="image")
    features = pooled_features(trunk(images))
    probabilities = keras.layers.Dense(CLASS_COUNT, activation=output, name=output)(features)
    model = keras.Model(images, probabilities, name=output)
    loss = "binary_crossentropy" if output == "sigmoid" else "categorical_crossentropy"
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss)
    return model


def build_multitask(box_weight: float = 10.0, learning_rate=LEARNING_RATE) -> keras.Model:
    """Hard parameter sharing: one trunk, a class head and a box head.

    The box loss (mean squared error on coordinates in [0, 1]) starts about twenty times
    smaller than the class loss and is fifty to ninety times smaller after the first epoch;
    its weight brings the two closer so that the box head's gradient still shapes the trunk.
    """
    images = keras.Input(shape=IMAGE_SHAPE, name="image")
    feature_map = trunk(images)
    class_probabilities = keras.layers.Dense(CLASS_COUNT, activation="softmax", name=CLASS_HEAD)(
        pooled_features(feature_map)
    )
    # The box head keeps the grid (flattened), because pooling would throw away the position.
    where = keras.layers.Conv2D(16, 1, activation="relu", name="box_map")(feature_map)
    where = keras.layers.Flatten(name="box_grid")(where)
    where = keras.layers.Dense(FEATURE_UNITS, activation="relu", name="box_features")(where)
    # Sigmoid keeps every corner inside the image, like the normalised targets.
    box = keras.layers.Dense(4, activation="sigmoid", name=BOX_HEAD)(where)
    model = keras.Model(images, {CLASS_HEAD: class_probabilities, BOX_HEAD: box}, name="multitask")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss={CLASS_HEAD: "sparse_categorical_crossentropy", BOX_HEAD: "mean_squared_error"},
        loss_weights={CLASS_HEAD: 1.0, BOX_HEAD: box_weight},
    )
    return model
