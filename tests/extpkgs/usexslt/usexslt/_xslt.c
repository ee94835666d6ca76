/* libxslt: one transform (with an EXSLT function) of a string. */
#include <Python.h>
#include <libxml/parser.h>
#include <libxslt/xslt.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>
#include <libexslt/exslt.h>

static xmlDocPtr doc_of(const char *s)
{
	return xmlReadMemory(s, (int)strlen(s), "in.xml", "UTF-8", XML_PARSE_NONET);
}

static PyObject *transform(PyObject *self, PyObject *args)
{
	const char *xml, *xsl;
	xmlDocPtr style, doc, out;
	xsltStylesheetPtr sheet;
	xmlChar *buf = NULL;
	int len = 0;
	PyObject *res;

	if (!PyArg_ParseTuple(args, "ss", &xml, &xsl))
		return NULL;
	exsltRegisterAll();
	style = doc_of(xsl);
	sheet = style ? xsltParseStylesheetDoc(style) : NULL;
	doc = doc_of(xml);
	if (!sheet || !doc)
		return PyErr_Format(PyExc_ValueError, "bad input");
	out = xsltApplyStylesheet(sheet, doc, NULL);
	xsltSaveResultToString(&buf, &len, out, sheet);
	res = PyUnicode_FromStringAndSize((const char *)buf, len);
	xmlFree(buf);
	xmlFreeDoc(out);
	xmlFreeDoc(doc);
	xsltFreeStylesheet(sheet);
	return res;
}

static PyMethodDef methods[] = {
	{ "transform", transform, METH_VARARGS, NULL }, { NULL, NULL, 0, NULL },
};
static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT, "usexslt._xslt", NULL, -1, methods,
};
PyMODINIT_FUNC PyInit__xslt(void) { return PyModule_Create(&def); }
