# Output Patterns in a container: one replica of the course.
#   docker build -t output-patterns .
#   docker run -p 8501:8501 output-patterns
# Several replicas need a load balancer with sticky sessions: see docs/deploy.md.
FROM python:3.11-slim

# TensorFlow reads these at its first import: only warnings and errors from its C++
# side, and oneDNN left on (faster on CPUs; turn it off only for bit-exact reruns).
ENV TF_CPP_MIN_LOG_LEVEL=2 \
    TF_ENABLE_ONEDNN_OPTS=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

# curl is for the health check only.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

# The app never runs as root.
RUN useradd --create-home --uid 1000 learner
WORKDIR /app

# Requirements first, so that a change to the code does not reinstall TensorFlow.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=learner:learner app.py ./
COPY --chown=learner:learner .streamlit ./.streamlit
COPY --chown=learner:learner pages ./pages
COPY --chown=learner:learner ui ./ui
COPY --chown=learner:learner lessons ./lessons
COPY --chown=learner:learner models ./models
COPY --chown=learner:learner samples ./samples

USER learner
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl --fail --silent http://127.0.0.1:8501/_stcore/health || exit 1

CMD ["python", "-m", "streamlit", "run", "app.py", \
     "--server.headless=true", "--server.address=0.0.0.0", "--server.port=8501"]
