/* The service catalogue page, served at /catalogue/: lists GET /catalogue/v1/services for the bearer given
 * (a subscriber's token, a retailer's client id or the admin token; kept for this tab), with each action's
 * schemas and an example request built from its request schema. Plain ES2020; text only through textContent. */
(function () {
  'use strict';

  const KEY = 'wse.catalogue.bearer';
  const URL_SERVICES = new URL('../catalogue/v1/services', window.location.href.replace(/[^/]*([?#].*)?$/, '')).href;
  const $ = (id) => document.getElementById(id);

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  /** An example value for a JSON Schema: its first example, default or const, else one built from its type. */
  function example(schema) {
    if (!schema || typeof schema !== 'object') return null;
    if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
    if ('default' in schema) return schema.default;
    if ('const' in schema) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
    switch (schema.type) {
      case 'object': {
        const value = {};
        const required = new Set(schema.required || []);
        for (const [name, property] of Object.entries(schema.properties || {})) {
          if (required.has(name) || required.size === 0) value[name] = example(property);
        }
        return value;
      }
      case 'array': return [example(schema.items)];
      case 'string': return schema.format === 'date-time' ? new Date().toISOString() : 'text';
      case 'number': return 1.5;
      case 'integer': return 1;
      case 'boolean': return true;
      default: return null;
    }
  }

  function block(title, value) {
    const details = element('details');
    details.appendChild(element('summary', title));
    details.appendChild(element('pre', JSON.stringify(value, null, 2)));
    return details;
  }

  function render(services) {
    const container = $('services');
    container.replaceChildren();
    if (services.length === 0) container.appendChild(element('p', 'No service is open to this caller.', 'muted'));
    for (const service of services) {
      const section = element('section', undefined, 'panel service');
      const heading = element('h2', service.title);
      heading.appendChild(element('code', service.id));
      section.appendChild(heading);
      section.appendChild(element('p', `${service.kind}${service.provider ? ' · by ' + service.provider : ' · by the operator'}`, 'kind'));
      section.appendChild(element('p', service.description));
      if (service.terms) section.appendChild(element('p', service.terms, 'terms'));
      for (const action of service.actions) {
        const part = element('div', undefined, 'action');
        part.appendChild(element('h3', action.name));
        part.appendChild(element('p', action.description));
        part.appendChild(element('p', 'Example request (wse.js sends it for you):', 'muted'));
        part.appendChild(element('pre', JSON.stringify({ type: 'request', id: '1', service: service.id, action: action.name, data: example(action.request) }, null, 2)));
        part.appendChild(block('data (JSON Schema)', action.request));
        if (action.answer) part.appendChild(block('answer (JSON Schema)', action.answer));
        if (action.events) part.appendChild(block('events (JSON Schema)', action.events));
        section.appendChild(part);
      }
      container.appendChild(section);
    }
  }

  async function load() {
    const bearer = sessionStorage.getItem(KEY);
    if (!bearer) return;
    $('catalogue-error').hidden = true;
    try {
      const response = await fetch(URL_SERVICES, { headers: { Authorization: `Bearer ${bearer}`, Accept: 'application/json' }, cache: 'no-store' });
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new Error(body && body.error ? body.error.message : `HTTP ${response.status}`);
      render(body.services);
    } catch (error) {
      $('catalogue-error').textContent = `The catalogue could not be read: ${error.message}`;
      $('catalogue-error').hidden = false;
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('who-form').addEventListener('submit', (event) => {
      event.preventDefault();
      sessionStorage.setItem(KEY, $('bearer').value.trim());
      $('bearer').value = '';
      load();
    });
    load();
  });
})();
