"""Renderers of the official reports (DOCX, XLSX): layout only, from backend.core.report_content."""
